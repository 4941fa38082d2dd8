// Package floor is the bench's bare transport server: it speaks just enough
// of the Skirmish protocol for the bench's bots (a Welcome to each hello, a
// Pong to each ping, one full snapshot of fixed entities to each client every
// tick and the board once a second) with no world, no area of interest and no
// deltas. Run in the bench's server child instead of the engine, it measures
// the floor under a real run: what the WebSocket transport alone costs for
// the same bots and about the same bytes.
//
// It writes the way the engine does at its cheapest: the tick writes each
// client's frames of the tick in one system call that does not wait
// (package rawsock), and only what a socket does not take goes to a writer
// goroutine started for that client. So the floor has no per-connection
// writer to wake, and the engine's cost above it is the game's.
//
// It is not a game server and nothing but the bench runs it.
package floor
