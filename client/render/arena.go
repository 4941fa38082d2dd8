package render

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/skirmish-game/skirmish/game"
)

// Grid spacing in world units.
const (
	gridMinor = 100.0
	gridMajor = 500.0
)

// drawArena fills the void, the arena floor, its grid and its glowing border.
func (r *Renderer) drawArena(dst *ebiten.Image, f *Frame) {
	dst.Fill(ColorVoid)
	x0, y0 := f.toScreen(game.Vec{})
	x1, y1 := f.toScreen(f.World)
	// The floor, clipped to the screen.
	cx0, cy0 := math.Max(x0, 0), math.Max(y0, 0)
	cx1, cy1 := math.Min(x1, float64(f.W)), math.Min(y1, float64(f.H))
	if cx1 <= cx0 || cy1 <= cy0 {
		return
	}
	vector.FillRect(dst, float32(cx0), float32(cy0), float32(cx1-cx0), float32(cy1-cy0), ColorFloor, false)

	lo, hi := f.Cam.Visible(f.W, f.H, 0)
	line := float32(math.Max(1, f.Scale))
	for x := math.Ceil(math.Max(lo.X, 0)/gridMinor) * gridMinor; x <= math.Min(hi.X, f.World.X); x += gridMinor {
		sx, _ := f.toScreen(game.Vec{X: x})
		vector.StrokeLine(dst, float32(sx), float32(cy0), float32(sx), float32(cy1), gridWidth(x, line), gridColor(x), false)
	}
	for y := math.Ceil(math.Max(lo.Y, 0)/gridMinor) * gridMinor; y <= math.Min(hi.Y, f.World.Y); y += gridMinor {
		_, sy := f.toScreen(game.Vec{Y: y})
		vector.StrokeLine(dst, float32(cx0), float32(sy), float32(cx1), float32(sy), gridWidth(y, line), gridColor(y), false)
	}

	// The border: a bright core in a wide soft glow, pulsing slowly.
	pulse := 0.8 + 0.2*math.Sin(f.T*2)
	for _, layer := range []struct {
		width float64
		alpha float64
	}{{14, 0.08}, {7, 0.18}, {3, 0.9}} {
		w := layer.width * f.Scale
		c := WithAlpha(ColorBorder, layer.alpha*pulse)
		vector.StrokeRect(dst, float32(x0), float32(y0), float32(x1-x0), float32(y1-y0), float32(w), c, false)
	}
}

func gridColor(v float64) color.Color {
	if math.Mod(v, gridMajor) == 0 {
		return ColorGridMajor
	}
	return ColorGridMinor
}

func gridWidth(v float64, line float32) float32 {
	if math.Mod(v, gridMajor) == 0 {
		return 2 * line
	}
	return line
}
