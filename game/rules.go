package game

import "math"

// Tuning. Durations are in seconds and become whole ticks (at least one) at
// the World's tick rate; speeds are world units per second.
const (
	MaxHP          = 100
	PlayerRadius   = 20.0
	PlayerSpeed    = 300.0
	PlayerAccel    = 1800.0 // towards the wanted velocity: full speed in 1/6 s
	PlayerFriction = 1200.0 // with no direction held: a stop from full speed in 1/4 s
	FireInterval   = 0.2    // seconds between shots while fire is held
	RespawnDelay   = 3.0    // seconds dead

	ProjectileRadius   = 4.0
	ProjectileSpeed    = 900.0
	ProjectileLifetime = 1.0 // seconds
	ProjectileDamage   = 20

	DroneRadius        = 24.0
	DroneHP            = 30 // two hits
	DroneSpeed         = 80.0
	DroneMaxTurn       = 1.2 // radians per second
	DroneTurnJitter    = 4.0 // radians per second², the random part of steering
	DroneTurnDamping   = 0.5 // per second: pulls the turn rate back towards straight
	DroneContactDamage = 5   // to a player touching a drone, once per DroneContactPeriod
	DroneContactPeriod = 0.5 // seconds

	PelletRadius    = 6.0
	PelletValue     = 1
	DronePellets    = 3    // dropped where a drone dies
	DropPelletValue = 2    // dropped pellets are worth more than scattered ones
	DropScatter     = 40.0 // world units around the dead drone

	DroneKillScore = 10
	// KillScore goes to a player's killer, plus a bounty of half the victim's
	// score, which the victim loses. A player killed by a drone loses the
	// bounty all the same. Score never drops below zero.
	KillScore = 50
)

// cellSize is the spatial grid's cell edge: larger than a projectile's step at
// the default tick rate plus both radii, so most queries touch 1-4 cells.
const cellSize = 100.0

// durations are the tuning times in ticks at one tick rate.
type durations struct {
	respawn, projectileTTL, contact int
}

func newDurations(tickRate int) durations {
	return durations{
		respawn:       secondsToTicks(RespawnDelay, tickRate),
		projectileTTL: secondsToTicks(ProjectileLifetime, tickRate),
		contact:       secondsToTicks(DroneContactPeriod, tickRate),
	}
}

func secondsToTicks(s float64, tickRate int) int {
	return max(1, int(math.Round(s*float64(tickRate))))
}
