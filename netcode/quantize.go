package netcode

import (
	"math"

	"github.com/skirmish-game/skirmish/game"
)

// QuantizePos maps a world coordinate to its fixed-point wire form,
// round(v*game.PosScale), clamped to [0, 65535] (NaN gives 0). The world
// snaps positions to this grid every tick, so for world state it is exact.
func QuantizePos(v float64) uint16 {
	q := math.Round(v * game.PosScale)
	switch {
	case !(q > 0): // also NaN
		return 0
	case q >= math.MaxUint16:
		return math.MaxUint16
	}
	return uint16(q)
}

// DequantizePos is the inverse of QuantizePos.
func DequantizePos(q uint16) float64 { return float64(q) / game.PosScale }

// QuantizeVel maps a velocity component (world units per second) to its
// fixed-point wire form, round(v*game.VelScale), clamped to the int16 range
// (NaN gives 0).
func QuantizeVel(v float64) int16 {
	q := math.Round(v * game.VelScale)
	switch {
	case math.IsNaN(q):
		return 0
	case q <= math.MinInt16:
		return math.MinInt16
	case q >= math.MaxInt16:
		return math.MaxInt16
	}
	return int16(q)
}

// DequantizeVel is the inverse of QuantizeVel.
func DequantizeVel(q int16) float64 { return float64(q) / game.VelScale }

// Pos is the entity's position in world units.
func (e Entity) Pos() game.Vec { return game.Vec{X: DequantizePos(e.X), Y: DequantizePos(e.Y)} }

// Vel is the entity's velocity in world units per second.
func (e Entity) Vel() game.Vec { return game.Vec{X: DequantizeVel(e.VX), Y: DequantizeVel(e.VY)} }

// PlayerFromEntity rebuilds the game.Player a player entity was captured from,
// for prediction. The wire does not carry Cooldown or Input, so they are zero.
func PlayerFromEntity(e Entity) game.Player {
	return game.Player{
		ID:       game.EntityID(e.ID),
		Name:     e.Name,
		Pos:      e.Pos(),
		Vel:      e.Vel(),
		Aim:      game.AngleFromQuantized(e.Angle),
		HP:       int(e.HP),
		Score:    int(e.Score),
		Respawn:  int(e.Timer),
		KilledBy: game.EntityID(e.Owner),
	}
}

// clampUint converts a game int to a wire field, saturating at both ends
// rather than wrapping.
func clampUint[T uint8 | uint16 | uint32](v int) T {
	if v <= 0 {
		return 0
	}
	if m := ^T(0); uint64(v) >= uint64(m) {
		return m
	}
	return T(v)
}
