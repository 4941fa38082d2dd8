package render

import (
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
)

// MenuItemKind says how a menu item is drawn.
type MenuItemKind uint8

// The kinds of item.
const (
	MenuButton MenuItemKind = iota // a label to press
	MenuSlider                     // a label and a gauge at Fraction
	MenuToggle                     // a label and on/off
	MenuText                       // a label and a text being edited or not
)

// MenuItem is one line of the menu.
type MenuItem struct {
	Kind     MenuItemKind
	Label    string
	Value    string  // toggle: "on"/"off"; text: the text; slider: the figure
	Fraction float64 // slider
	Focus    bool
	Editing  bool // text: the caret shows
	Danger   bool // drawn in the warning colour (leave)
}

// Rect is a screen rectangle in pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether the pixel (x, y) is inside.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x <= r.X+r.W && y >= r.Y && y <= r.Y+r.H
}

// DrawMenu dims the screen and draws the menu: a titled panel around
// items, item i in rects[i], with hint under them, at HUD scale s; t drives
// the caret's blink.
func (r *Renderer) DrawMenu(dst *ebiten.Image, title, hint string, items []MenuItem, rects []Rect, w, h int, s, t float64) {
	vector.FillRect(dst, 0, 0, float32(w), float32(h), color.RGBA{0, 0, 0, 140}, false)
	if len(rects) == 0 {
		return
	}
	first, last := rects[0], rects[len(rects)-1]
	pad := 22 * s
	top := first.Y - 64*s
	r.res.Panel(dst, first.X-pad, top, first.W+2*pad, last.Y+last.H-top+46*s, s)
	cx := first.X + first.W/2
	Text(dst, title, r.res.BoldFace(26*s), cx, top+18*s, AlignCenter, ColorAccent)
	for i := range items {
		r.drawMenuItem(dst, &items[i], rects[i], s, t)
	}
	Text(dst, hint, r.res.Face(12*s), cx, last.Y+last.H+16*s, AlignCenter, ColorTextDim)
}

func (r *Renderer) drawMenuItem(dst *ebiten.Image, it *MenuItem, b Rect, s, t float64) {
	fill := color.RGBA{8, 12, 22, 220}
	edge := ColorPanelEdge
	if it.Focus {
		fill = color.RGBA{18, 34, 56, 240}
		edge = ColorAccent
	}
	vector.FillRect(dst, float32(b.X), float32(b.Y), float32(b.W), float32(b.H), fill, false)
	vector.StrokeRect(dst, float32(b.X), float32(b.Y), float32(b.W), float32(b.H), Stroke(1.5*s), edge, false)
	face := r.res.BoldFace(16 * s)
	ty := b.Y + (b.H-face.Size*1.25)/2
	lc := ColorText
	if it.Danger {
		lc = ColorBorder
	}
	if it.Kind == MenuButton {
		Text(dst, it.Label, face, b.X+b.W/2, ty, AlignCenter, lc)
		return
	}
	Text(dst, it.Label, face, b.X+14*s, ty, AlignStart, lc)
	right := b.X + b.W - 14*s
	value := r.res.Face(16 * s)
	switch it.Kind {
	case MenuSlider:
		g := SliderGauge(b, s)
		Bar(dst, g.X, g.Y, g.W, g.H, it.Fraction, ColorAccent)
		Text(dst, it.Value, r.res.MonoFace(13*s), g.X-10*s, ty+2*s, AlignEnd, ColorTextDim)
	case MenuToggle:
		c := ColorTextDim
		if it.Value == "on" {
			c = ColorPelletRich
		}
		Text(dst, it.Value, value, right, ty, AlignEnd, c)
	case MenuText:
		Text(dst, it.Value, value, right, ty, AlignEnd, ColorText)
		if it.Editing && int(t*1.8)%2 == 0 {
			vector.FillRect(dst, float32(right+3*s), float32(b.Y+9*s), float32(2*s), float32(b.H-18*s), ColorAccent, false)
		}
	}
}

// SliderGauge is where a slider item in b draws its gauge at HUD scale s:
// the right part of the item, so that a click there can set it.
func SliderGauge(b Rect, s float64) Rect {
	w := b.W * 0.42
	return Rect{X: b.X + b.W - 14*s - w, Y: b.Y + b.H/2 - 4*s, W: w, H: 8 * s}
}

// DrawMenuButton draws the button that opens the menu (three bars, for
// touch screens and the mouse) as a size-pixel square at (x, y).
func (r *Renderer) DrawMenuButton(dst *ebiten.Image, x, y, size, s float64) {
	r.res.Panel(dst, x, y, size, size, s)
	bw, bh := size*0.5, 2.5*s
	for i := -1; i <= 1; i++ {
		by := y + size/2 + float64(i)*size*0.2 - bh/2
		vector.FillRect(dst, float32(x+(size-bw)/2), float32(by), float32(bw), float32(bh), ColorText, false)
	}
}
