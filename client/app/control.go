package app

import (
	"math"

	"github.com/skirmish-game/skirmish/game"
)

// held is the state of the player's controls for one tick.
type held struct {
	Up, Down, Left, Right bool
	Fire                  bool
}

// Move returns the 8-way Move bits for the held directions. Opposite keys
// cancel out here already, so the server never sees a contradiction.
func (h held) Move() uint8 {
	var m uint8
	switch {
	case h.Up && !h.Down:
		m |= game.MoveUp
	case h.Down && !h.Up:
		m |= game.MoveDown
	}
	switch {
	case h.Left && !h.Right:
		m |= game.MoveLeft
	case h.Right && !h.Left:
		m |= game.MoveRight
	}
	return m
}

// Buttons returns the Buttons bits.
func (h held) Buttons() uint8 {
	if h.Fire {
		return game.ButtonFire
	}
	return 0
}

// aimAt is the angle in radians from (fromX, fromY) to (toX, toY) in screen
// coordinates, which share the world's orientation (Y grows downwards, angle
// 0 is +X), normalized to [0, 2π). A zero-length vector keeps prev.
func aimAt(fromX, fromY, toX, toY, prev float64) float64 {
	dx, dy := toX-fromX, toY-fromY
	if dx == 0 && dy == 0 {
		return prev
	}
	a := math.Atan2(dy, dx)
	if a < 0 {
		a += 2 * math.Pi
	}
	return a
}
