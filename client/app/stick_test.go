package app

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStickHeld(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dx, dy float64
		want   held
	}{
		{"inside the dead zone", 3, -4, held{}},
		{"right", 40, 5, held{Right: true}},
		{"up", -5, -40, held{Up: true}},
		{"down-left diagonal", -30, 30, held{Down: true, Left: true}},
		{"up-right, shallow: still a diagonal past 22.5°", 40, -20, held{Up: true, Right: true}},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, stickHeld(tc.dx, tc.dy, 10)) })
	}
}

func TestStickAim(t *testing.T) {
	_, ok := stickAim(1, 1, 10)
	assert.False(t, ok, "dead zone")
	a, ok := stickAim(0, 20, 10)
	assert.True(t, ok)
	assert.InDelta(t, math.Pi/2, a, 1e-9, "down is +Y, a quarter turn")
	a, _ = stickAim(-20, 0, 10)
	assert.InDelta(t, math.Pi, a, 1e-9)
}
