package match

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
)

func TestBetweenTicks(t *testing.T) {
	prev, cur := game.Vec{X: 100, Y: 200}, game.Vec{X: 110, Y: 196}
	tick := time.Second / 30
	for _, tc := range []struct {
		name  string
		since time.Duration
		want  game.Vec
	}{
		{"at the tick", 0, prev},
		{"a frame of 60 fps in", tick / 2, game.Vec{X: 105, Y: 198}},
		{"a quarter in", tick / 4, game.Vec{X: 102.5, Y: 199}},
		{"the next tick due", tick, cur},
		{"the next tick late", 3 * tick, cur},
		{"clock behind the tick", -time.Millisecond, prev},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := betweenTicks(prev, cur, tc.since, tick)
			assert.InDelta(t, tc.want.X, got.X, 1e-6)
			assert.InDelta(t, tc.want.Y, got.Y, 1e-6)
		})
	}
	assert.Equal(t, cur, betweenTicks(prev, cur, time.Millisecond, 0), "no tick length: the newest")
}

// At 60 fps against 30 Hz ticks, every frame moves the ship, and by the same
// step: no frame stands still, none jumps twice as far.
func TestBetweenTicksSteadyAtFrameRate(t *testing.T) {
	tick, frame := time.Second/30, time.Second/60
	pos := func(tk int) game.Vec { return game.Vec{X: 300 * float64(tk) / 30} } // 300 u/s along X; durations are whole nanoseconds, hence the tolerance below
	var xs []float64
	for f := 0; f < 12; f++ {
		at := time.Duration(f) * frame
		tk := int(at / tick) // the newest tick taken, at its start
		xs = append(xs, betweenTicks(pos(tk-1), pos(tk), at-time.Duration(tk)*tick, tick).X)
	}
	for i := 1; i < len(xs); i++ {
		assert.InDelta(t, 5.0, xs[i]-xs[i-1], 1e-6, "frame %d: %v", i, xs)
	}
}
