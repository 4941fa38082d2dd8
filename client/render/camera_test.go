package render

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
)

func TestFollowFirstCallSnaps(t *testing.T) {
	var c Camera
	c.Follow(game.Vec{X: 500, Y: 700}, 1.0/60)
	assert.Equal(t, game.Vec{X: 500, Y: 700}, c.Center)
}

func TestFollowExponential(t *testing.T) {
	for _, tc := range []struct {
		name string
		dt   float64
		left float64 // fraction of the distance left after dt
	}{
		{"one time constant", DefaultCameraLag, math.Exp(-1)},
		{"two time constants", 2 * DefaultCameraLag, math.Exp(-2)},
		{"a 60 Hz frame", 1.0 / 60, math.Exp(-1.0 / 60 / DefaultCameraLag)},
		{"no time", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c Camera
			c.Follow(game.Vec{}, 0)
			c.Follow(game.Vec{X: 100, Y: -50}, tc.dt)
			assert.InDelta(t, 100*(1-tc.left), c.Center.X, 1e-9)
			assert.InDelta(t, -50*(1-tc.left), c.Center.Y, 1e-9)
		})
	}
}

func TestFollowFrameRateIndependent(t *testing.T) {
	target := game.Vec{X: 300, Y: 200}
	run := func(fps int) game.Vec {
		var c Camera
		c.Follow(game.Vec{}, 0)
		for i := 0; i < fps/2; i++ { // half a second
			c.Follow(target, 1/float64(fps))
		}
		return c.Center
	}
	slow, fast := run(30), run(240)
	assert.InDelta(t, slow.X, fast.X, 1e-6)
	assert.InDelta(t, slow.Y, fast.Y, 1e-6)
	assert.InDelta(t, 300*(1-math.Exp(-0.5/DefaultCameraLag)), fast.X, 1e-6)
}

func TestFollowFarTargetSnaps(t *testing.T) {
	var c Camera
	c.Follow(game.Vec{X: 10, Y: 10}, 0)
	c.Follow(game.Vec{X: 10 + DefaultCameraSnap + 1, Y: 10}, 1.0/60)
	assert.Equal(t, game.Vec{X: 10 + DefaultCameraSnap + 1, Y: 10}, c.Center, "respawn across the map")
}

func TestCameraScreenMapping(t *testing.T) {
	c := Camera{Center: game.Vec{X: 1000, Y: 2000}}
	c.Fit(1280, 720, 900)
	assert.InDelta(t, 0.8, c.Zoom, 1e-12)
	x, y := c.ToScreen(game.Vec{X: 1000, Y: 2000}, 1280, 720)
	assert.Equal(t, [2]float64{640, 360}, [2]float64{x, y}, "centre maps to the middle")
	x, y = c.ToScreen(game.Vec{X: 1100, Y: 1900}, 1280, 720)
	assert.InDelta(t, 640+80, x, 1e-9)
	assert.InDelta(t, 360-80, y, 1e-9)
	back := c.ToWorld(x, y, 1280, 720)
	assert.InDelta(t, 1100, back.X, 1e-9)
	assert.InDelta(t, 1900, back.Y, 1e-9)

	lo, hi := c.Visible(1280, 720, 10)
	assert.InDelta(t, 1000-800-10, lo.X, 1e-9)
	assert.InDelta(t, 2000+450+10, hi.Y, 1e-9)
}
