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
	seen := map[color.RGBA]int{}
	for id := uint32(1); id < 2000; id++ {
		c := PlayerColor(id)
		assert.Equal(t, c, PlayerColor(id), "stable per ID")
		assert.Equal(t, uint8(255), c.A)
		seen[c]++
	}
	assert.Len(t, seen, len(playerPalette), "IDs use the whole palette")
	for c, n := range seen {
		assert.InDelta(t, 2000/len(playerPalette), n, 40, "%v is used about as often as the others", c)
	}
	for id := uint32(1); id < 100; id++ {
		assert.NotEqual(t, PlayerColor(id), PlayerColor(id+1), "neighbours differ: %d", id)
	}
}

// colorDistance is the "redmean" approximation of perceived distance
// between two colors, 0 to about 765.
func colorDistance(a, b color.RGBA) float64 {
	rm := (float64(a.R) + float64(b.R)) / 2
	dr, dg, db := float64(a.R)-float64(b.R), float64(a.G)-float64(b.G), float64(a.B)-float64(b.B)
	return math.Sqrt((2+rm/256)*dr*dr + 4*dg*dg + (2+(255-rm)/256)*db*db)
}

func TestPlayerPaletteDistinct(t *testing.T) {
	const minApart, minFromDanger = 115.0, 180.0
	for i, a := range playerPalette {
		for _, b := range playerPalette[i+1:] {
			assert.Greater(t, colorDistance(a, b), minApart, "%v and %v look alike", a, b)
		}
		for _, danger := range []color.RGBA{ColorDrone, ColorBorder} {
			assert.Greater(t, colorDistance(a, danger), minFromDanger, "%v looks like the danger red %v", a, danger)
		}
		assert.Greater(t, colorDistance(a, ColorFloor), 300.0, "%v stands out on the floor", a)
	}
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
