package render

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
)

func TestClipToWorld(t *testing.T) {
	world := game.Vec{X: 4000, Y: 4000}
	for _, tc := range []struct {
		name           string
		lo, hi         game.Vec
		wantLo, wantHi game.Vec
		ok             bool
	}{
		{"inside stays", game.Vec{X: 100, Y: 200}, game.Vec{X: 900, Y: 700}, game.Vec{X: 100, Y: 200}, game.Vec{X: 900, Y: 700}, true},
		{"past the top-left corner", game.Vec{X: -300, Y: -100}, game.Vec{X: 500, Y: 300}, game.Vec{}, game.Vec{X: 500, Y: 300}, true},
		{"past the bottom-right edge", game.Vec{X: 3600, Y: 3700}, game.Vec{X: 4400, Y: 4150}, game.Vec{X: 3600, Y: 3700}, world, true},
		{"all outside", game.Vec{X: 4100, Y: 100}, game.Vec{X: 4900, Y: 600}, game.Vec{X: 4100, Y: 100}, game.Vec{X: 4000, Y: 600}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ok := clipToWorld(tc.lo, tc.hi, world)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.wantLo, lo)
			assert.Equal(t, tc.wantHi, hi)
		})
	}
}
