package render

import (
	"image/color"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// hue returns c's hue in [0, 1).
func hue(c color.RGBA) float64 {
	r, g, b := float64(c.R)/255, float64(c.G)/255, float64(c.B)/255
	hi, lo := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	d := hi - lo
	var h float64
	switch {
	case d == 0:
		return 0
	case hi == r:
		h = math.Mod((g-b)/d, 6)
	case hi == g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	h /= 6
	if h < 0 {
		h++
	}
	return h
}

func TestPlayerColor(t *testing.T) {
	seen := map[color.RGBA]bool{}
	for id := uint32(1); id < 2000; id++ {
		c := PlayerColor(id)
		assert.Equal(t, c, PlayerColor(id), "stable per ID")
		h := hue(c)
		assert.True(t, h >= playerHueMin-0.01 && h <= playerHueMax+0.01, "id %d hue %.3f is a drone red", id, h)
		assert.Equal(t, uint8(255), c.A)
		seen[c] = true
	}
	assert.Greater(t, len(seen), 500, "IDs spread over many colors")
	assert.NotEqual(t, PlayerColor(1), PlayerColor(2), "neighbours differ")
}

func TestHealthColor(t *testing.T) {
	for _, tc := range []struct {
		name string
		frac float64
		want float64 // hue
	}{
		{"full is green", 1, 1.0 / 3},
		{"half is yellow", 0.5, 1.0 / 6},
		{"empty is red", 0, 0},
		{"clamped above", 2, 1.0 / 3},
		{"clamped below", -1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, hue(HealthColor(tc.frac)), 0.02)
		})
	}
}

func TestWithAlphaPremultiplies(t *testing.T) {
	assert.Equal(t, color.RGBA{100, 50, 0, 128}, WithAlpha(color.RGBA{200, 100, 0, 255}, 0.5025))
	assert.Equal(t, color.RGBA{}, WithAlpha(color.RGBA{200, 100, 0, 255}, -1))
}
