// Package game holds the rules of Skirmish, a top-down arena shooter: the World,
// its players, drones, projectiles and pellets, and World.Step.
//
// It is pure and deterministic: no clock, no goroutines, no I/O and no global
// randomness (the World carries its own seeded PRNG). Step advances by the
// constant dt the World was made with, and the same movement code (MovePlayer)
// runs on the server and in the client's prediction. It knows nothing of the
// network.
//
// Coordinates are screen-like: X grows right, Y grows down, the world spans
// [0, Width] x [0, Height]. Angles are radians from +X towards +Y.
//
// Scoring: a pellet is worth its Value, a destroyed drone DroneKillScore (its
// wreck drops more valuable pellets), a kill KillScore plus a bounty of half
// the victim's score, which the victim loses (to nobody when a drone kills it).
// A dead player respawns after RespawnDelay at a random place with full HP and
// the score it kept. The score also gives the level (progression.go), and
// each level raises one stat in a fixed order, so a player's stats are a
// pure function of a number every client already has.
//
// Bots (bot.go) are players whose inputs the World chooses itself at the
// start of each Step, from what they see of it and their own seeded PRNG:
// the server adds them to fill rooms, and they are as deterministic as the
// rest of the World.
package game
