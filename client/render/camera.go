package render

import (
	"math"

	"github.com/skirmish-game/skirmish/game"
)

// Named defaults.
const (
	// DefaultCameraLag is the time constant of the follow: after it, 37% of the
	// distance to the target is left. Short enough to keep the ship near the
	// centre, long enough to hide the last jitter of prediction corrections.
	DefaultCameraLag = 0.12 // seconds
	// DefaultCameraSnap is the distance, in world units, past which the camera jumps
	// (spawn, respawn) instead of panning across the arena.
	DefaultCameraSnap = 1500.0
	// DefaultView is how many world units the shorter side of the screen
	// shows, whatever its pixel size: a bigger window is sharper, not a wider
	// view, so no player sees more of the arena than another.
	DefaultView = 760.0
)

// Camera is where the view is centred, in world units, and how many pixels a
// world unit takes.
type Camera struct {
	Center game.Vec
	Zoom   float64 // pixels per world unit
	Lag    float64 // seconds; DefaultCameraLag if 0
	Snap   float64 // world units; DefaultCameraSnap if 0
	placed bool
}

// Follow moves the centre towards target as dt seconds pass: the remaining
// distance shrinks by exp(-dt/Lag). The first call, and any call with a target
// farther than Snap, jumps straight there.
func (c *Camera) Follow(target game.Vec, dt float64) {
	lag, snap := c.Lag, c.Snap
	if lag <= 0 {
		lag = DefaultCameraLag
	}
	if snap <= 0 {
		snap = DefaultCameraSnap
	}
	dx, dy := target.X-c.Center.X, target.Y-c.Center.Y
	if !c.placed || math.Hypot(dx, dy) > snap {
		c.Center, c.placed = target, true
		return
	}
	if dt <= 0 {
		return
	}
	k := 1 - math.Exp(-dt/lag)
	c.Center = game.Vec{X: c.Center.X + dx*k, Y: c.Center.Y + dy*k}
}

// Fit sets Zoom so that the shorter side of a w x h pixel screen shows view
// world units (DefaultView if view is 0).
func (c *Camera) Fit(w, h int, view float64) {
	if view <= 0 {
		view = DefaultView
	}
	c.Zoom = float64(min(w, h)) / view
}

// ToScreen maps a world position to pixels on a w x h screen.
func (c *Camera) ToScreen(p game.Vec, w, h int) (x, y float64) {
	return (p.X-c.Center.X)*c.Zoom + float64(w)/2, (p.Y-c.Center.Y)*c.Zoom + float64(h)/2
}

// ToWorld maps a pixel on a w x h screen to a world position.
func (c *Camera) ToWorld(x, y float64, w, h int) game.Vec {
	return game.Vec{X: (x-float64(w)/2)/c.Zoom + c.Center.X, Y: (y-float64(h)/2)/c.Zoom + c.Center.Y}
}

// Visible returns the world rectangle the screen shows, grown by margin world
// units on each side, so that callers can skip what is off screen.
func (c *Camera) Visible(w, h int, margin float64) (lo, hi game.Vec) {
	hw, hh := float64(w)/2/c.Zoom+margin, float64(h)/2/c.Zoom+margin
	return game.Vec{X: c.Center.X - hw, Y: c.Center.Y - hh}, game.Vec{X: c.Center.X + hw, Y: c.Center.Y + hh}
}
