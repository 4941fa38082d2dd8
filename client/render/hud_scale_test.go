package render

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHUDScale(t *testing.T) {
	for _, tc := range []struct {
		name    string
		w, h    int
		scale   float64
		want    float64
		compact bool
	}{
		{"the reference screen", 1100, 620, 1, 1, false},
		{"720p", 1280, 720, 1, 1.1612903225806452, false},
		{"480x270 shrinks to the floor", 480, 270, 1, hudMinScale, true},
		{"a 4K monitor grows to the ceiling", 3840, 2160, 1, hudMaxScale, false},
		{"a phone at 3x: logical pixels count", 390 * 3, 844 * 3, 3, 3 * hudMinScale, false},
		{"no scale yet", 1100, 620, 0, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := HUDScale(tc.w, tc.h, tc.scale)
			assert.InDelta(t, tc.want, s, 1e-9)
			assert.Equal(t, tc.compact, Compact(tc.h, s))
		})
	}
}
