package render

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Align places text relative to its anchor point.
type Align = text.Align

// Alignments for Text.
const (
	AlignStart  = text.AlignStart
	AlignCenter = text.AlignCenter
	AlignEnd    = text.AlignEnd
)

// Text draws s with its top at y, aligned horizontally on x, with a soft drop
// shadow so that it reads over any background.
func Text(dst *ebiten.Image, s string, face *text.GoTextFace, x, y float64, align Align, c color.Color) {
	op := &text.DrawOptions{}
	op.PrimaryAlign = align
	off := face.Size / 14
	op.GeoM.Translate(x+off, y+off)
	op.ColorScale.ScaleWithColor(ColorShadow)
	text.Draw(dst, s, face, op)
	op.GeoM.Reset()
	op.GeoM.Translate(x, y)
	op.ColorScale.Reset()
	op.ColorScale.ScaleWithColor(c)
	text.Draw(dst, s, face, op)
}

// TextWidth is the advance of s in face, in pixels.
func TextWidth(s string, face *text.GoTextFace) float64 {
	return text.Advance(s, face)
}

// Bar draws a horizontal gauge: a dark track and frac of it filled.
func Bar(dst *ebiten.Image, x, y, w, h, frac float64, fill color.Color) {
	frac = max(0, min(1, frac))
	vector.FillRect(dst, float32(x-1), float32(y-1), float32(w+2), float32(h+2), ColorShadow, false)
	vector.FillRect(dst, float32(x), float32(y), float32(w), float32(h), color.RGBA{40, 44, 58, 230}, false)
	if frac > 0 {
		vector.FillRect(dst, float32(x), float32(y), float32(w*frac), float32(h), fill, false)
	}
}

// panelCorner is the size of the corners of the Panel 9-slice, in its
// pixels.
const panelCorner = 12

// Panel draws a translucent rounded box with a thin edge, stretching the
// middle of the panel sprite and keeping its corners (scaled by scale).
func (r *Resources) Panel(dst *ebiten.Image, x, y, w, h, scale float64) {
	src := r.Box
	n := src.Bounds().Dx()
	c := float64(panelCorner)
	cs := min(c*scale, w/2, h/2) // corner size on screen
	// Source and destination spans of the three columns and rows.
	srcSpan := [3][2]int{{0, panelCorner}, {panelCorner, n - panelCorner}, {n - panelCorner, n}}
	dstX := [3][2]float64{{x, x + cs}, {x + cs, x + w - cs}, {x + w - cs, x + w}}
	dstY := [3][2]float64{{y, y + cs}, {y + cs, y + h - cs}, {y + h - cs, y + h}}
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterLinear}
	for row := 0; row < 3; row++ {
		for col := 0; col < 3; col++ {
			sx, sy := srcSpan[col], srcSpan[row]
			part := src.SubImage(image.Rect(sx[0], sy[0], sx[1], sy[1])).(*ebiten.Image)
			op.GeoM.Reset()
			op.GeoM.Scale((dstX[col][1]-dstX[col][0])/float64(sx[1]-sx[0]), (dstY[row][1]-dstY[row][0])/float64(sy[1]-sy[0]))
			op.GeoM.Translate(dstX[col][0], dstY[row][0])
			dst.DrawImage(part, op)
		}
	}
}

// sprite draws img centred on (x, y), rotated by angle, scaled so that it is
// size pixels wide, tinted by c.
func sprite(dst, img *ebiten.Image, x, y, angle, size float64, c color.Color, blend ebiten.Blend) {
	b := img.Bounds()
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterLinear, Blend: blend}
	op.GeoM.Translate(-float64(b.Dx())/2, -float64(b.Dy())/2)
	s := size / float64(b.Dx())
	op.GeoM.Scale(s, s)
	op.GeoM.Rotate(angle)
	op.GeoM.Translate(x, y)
	op.ColorScale.ScaleWithColor(c)
	dst.DrawImage(img, op)
}

// Stroke is a line width of w pixels, at least one: a thinner line drawn
// without anti-aliasing drops out in places on a small screen.
func Stroke(w float64) float32 { return float32(math.Max(1, w)) }

// Fit cuts s, with an ellipsis, to at most width pixels in face.
func Fit(s string, face *text.GoTextFace, width float64) string {
	if TextWidth(s, face) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && TextWidth(string(r)+"…", face) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
