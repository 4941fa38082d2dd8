//go:build !js

package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// minColors is how many distinct colors a rendered frame has at least:
	// the arena's background and grid, ships, drones, pellets and the HUD
	// give far more; a blank or cleared canvas has one or two.
	minColors = 4

	// maxDominant is the largest share of pixels one color may cover. Most
	// of the arena is background, but not all of it.
	maxDominant = 0.995
)

// colorStats counts an image's distinct colors and the share of its most
// common one.
type colorStats struct {
	distinct int
	dominant float64
	size     image.Point
}

func (s colorStats) String() string {
	return fmt.Sprintf("%dx%d, %d distinct colors, the most common covers %.2f%%",
		s.size.X, s.size.Y, s.distinct, 100*s.dominant)
}

func statsOf(img image.Image) colorStats {
	b := img.Bounds()
	counts := make(map[color.RGBA]int)
	top := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			counts[c]++
			top = max(top, counts[c])
		}
	}
	s := colorStats{distinct: len(counts), size: b.Size()}
	if n := b.Dx() * b.Dy(); n > 0 {
		s.dominant = float64(top) / float64(n)
	}
	return s
}

// notBlank reports why an image looks blank, or nil.
func notBlank(img image.Image) error {
	s := statsOf(img)
	switch {
	case s.size.X == 0 || s.size.Y == 0:
		return fmt.Errorf("empty image: %v", s)
	case s.distinct < minColors:
		return fmt.Errorf("blank: fewer than %d colors: %v", minColors, s)
	case s.dominant > maxDominant:
		return fmt.Errorf("blank: one color covers more than %.1f%%: %v", 100*maxDominant, s)
	}
	return nil
}

// requireRenderedPNG decodes a PNG and fails the test unless it shows a
// rendered frame.
func requireRenderedPNG(t *testing.T, data []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err, "decode PNG")
	t.Logf("screenshot: %v", statsOf(img))
	require.NoError(t, notBlank(img))
}

func TestNotBlank(t *testing.T) {
	const w, h = 64, 48
	fill := func(c color.Color) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.Set(x, y, c)
			}
		}
		return img
	}
	dark := color.RGBA{R: 16, G: 20, B: 28, A: 255}
	scene := func() *image.RGBA {
		img := fill(dark)
		for i, c := range []color.RGBA{{R: 255, A: 255}, {G: 200, A: 255}, {B: 255, A: 255}, {R: 255, G: 255, B: 255, A: 255}} {
			for y := range 8 {
				for x := range 8 {
					img.Set(4+i*12+x, 4+y, c)
				}
			}
		}
		return img
	}
	speck := fill(dark)
	speck.Set(1, 1, color.White)
	speck.Set(2, 2, color.RGBA{R: 255, A: 255})
	speck.Set(3, 3, color.RGBA{G: 255, A: 255})

	tests := []struct {
		name  string
		img   image.Image
		blank bool
	}{
		{name: "black", img: fill(color.Black), blank: true},
		{name: "transparent", img: image.NewRGBA(image.Rect(0, 0, w, h)), blank: true},
		{name: "four specks on one color", img: speck, blank: true},
		{name: "empty", img: image.NewRGBA(image.Rect(0, 0, 0, 0)), blank: true},
		{name: "scene", img: scene(), blank: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if tt.img.Bounds().Empty() {
				assert.Error(t, notBlank(tt.img))
				return
			}
			require.NoError(t, png.Encode(&buf, tt.img))
			img, err := png.Decode(&buf)
			require.NoError(t, err)
			if tt.blank {
				assert.Error(t, notBlank(img))
			} else {
				assert.NoError(t, notBlank(img))
			}
		})
	}
}
