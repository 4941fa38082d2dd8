package render

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// Banner is a centred message: a title and a few lines under it.
type Banner struct {
	Title string
	Lines []string
	Color color.RGBA // of the title
	Dim   float64    // 0..1: how much to darken the screen behind it
	At    float64    // where its centre goes, as a fraction of the screen height; 0 means the middle
}

// DrawBanner draws b centred across a w x h screen.
func (r *Renderer) DrawBanner(dst *ebiten.Image, b *Banner, w, h int, scale float64) {
	if b.Dim > 0 {
		vector.FillRect(dst, 0, 0, float32(w), float32(h), color.RGBA{0, 0, 0, uint8(b.Dim * 255)}, false)
	}
	title := r.res.BoldFace(30 * scale)
	face := r.res.Face(15 * scale)
	lh := 24 * scale
	bw := TextWidth(b.Title, title)
	for _, l := range b.Lines {
		bw = max(bw, TextWidth(l, face))
	}
	bw += 60 * scale
	bh := 40*scale + title.Size + float64(len(b.Lines))*lh + 16*scale
	at := b.At
	if at == 0 {
		at = 0.5
	}
	x, y := (float64(w)-bw)/2, float64(h)*at-bh/2
	r.res.Panel(dst, x, y, bw, bh, scale)
	cx := float64(w) / 2
	Text(dst, b.Title, title, cx, y+20*scale, AlignCenter, b.Color)
	for i, l := range b.Lines {
		Text(dst, l, face, cx, y+28*scale+title.Size+12*scale+float64(i)*lh, AlignCenter, ColorText)
	}
}
