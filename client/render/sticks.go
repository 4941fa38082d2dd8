package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// stickRadius is how far a virtual stick's knob travels, in logical pixels
// at HUD scale 1.
const stickRadius = 56.0

// Stick is a virtual stick under a thumb: its centre, the thumb's offset
// from it, and whether it is the one that fires.
type Stick struct {
	X, Y, DX, DY float64
	Fire         bool
}

// DrawSticks draws the virtual sticks at HUD scale s: a ring where the
// thumb came down and a knob under it, held within the ring.
func (r *Renderer) DrawSticks(dst *ebiten.Image, sticks []Stick, s float64) {
	for _, st := range sticks {
		c := ColorAccent
		if st.Fire {
			c = ColorBorder
		}
		rad := stickRadius * s
		sprite(dst, r.res.Ring, st.X, st.Y, 0, 2.3*rad, WithAlpha(c, 0.45), ebiten.BlendSourceOver)
		dx, dy := st.DX, st.DY
		if d := math.Hypot(dx, dy); d > rad {
			dx, dy = dx/d*rad, dy/d*rad
		}
		sprite(dst, r.res.Glow, st.X+dx, st.Y+dy, 0, 1.3*rad, WithAlpha(c, 0.5), ebiten.BlendLighter)
		sprite(dst, r.res.Dot, st.X+dx, st.Y+dy, 0, 0.5*rad, WithAlpha(Lighten(c, 0.5), 0.85), ebiten.BlendSourceOver)
	}
}
