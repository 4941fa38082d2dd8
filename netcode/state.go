package netcode

import "github.com/skirmish-game/skirmish/game"

// Entity is one entity as the wire carries it: quantized to fixed-point
// integers on game's grid (game.PosScale, game.VelScale, game.AngleSteps).
// Every field but ID has a row in entityFields (fields.go), which says how it
// is carried.
type Entity struct {
	ID    uint32
	Kind  game.Kind
	X, Y  uint16 // position * game.PosScale
	VX    int16  // velocity * game.VelScale
	VY    int16
	Angle uint16 // aim, game.AngleSteps to a turn
	HP    uint8
	Score uint32
	Timer uint16 // player: ticks until respawn (> 0 = dead)
	Owner uint32 // projectile: who fired it; player: who killed it last
	Name  string // player only
	Seq   uint32 // projectile: the seq of its owner's input that fired it (0: none)
}

// State is one client's view of the world at a tick: entities sorted by ID.
type State struct {
	Tick     uint32
	Entities []Entity
}

// EntityDelta carries the fields of E named by Mask. An entity absent from the
// baseline is created from the zero Entity with those fields.
type EntityDelta struct {
	Mask uint16
	E    Entity
}

// Delta is the snapshot message: the view at Tick, as a change from the view
// at Baseline (0 = from nothing: a full snapshot).
type Delta struct {
	Tick     uint32
	Baseline uint32
	LastSeq  uint32 // newest input seq the server has applied for this player
	// InputDelay is the server's view of this player's input delay: the
	// ticks input LastSeq waited in the server's queue (1 = applied on the
	// first tick after it arrived; 0 = no input applied yet).
	InputDelay uint16
	Changes    []EntityDelta
	Removed    []uint32 // IDs in the baseline that are gone, ascending
}

// FindEntity looks id up in entities sorted by ID, as State, CaptureWorld and
// the interpolation buffer keep them: it returns the index of that entity and
// true, or the index where it would be inserted and false (as
// slices.BinarySearch). It is the protocol's one lookup by ID, so that every
// caller takes the same sorted-order assumption.
func FindEntity(entities []Entity, id uint32) (int, bool) {
	lo, hi := 0, len(entities)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if entities[mid].ID < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(entities) && entities[lo].ID == id
}
