package render

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/skirmish-game/skirmish/game"
)

// DrawMinimap draws the whole arena in a size x size box at (x, y): what the
// client can see of it (drones, players, the own ship) and the camera's view.
func (r *Renderer) DrawMinimap(dst *ebiten.Image, f *Frame, x, y, size float64) {
	r.res.Panel(dst, x, y, size, size, f.Scale)
	pad := 8 * f.Scale
	inner := size - 2*pad
	k := inner / math.Max(f.World.X, f.World.Y)
	ox := x + pad + (inner-f.World.X*k)/2
	oy := y + pad + (inner-f.World.Y*k)/2
	at := func(p game.Vec) (float32, float32) { return float32(ox + p.X*k), float32(oy + p.Y*k) }

	vector.FillRect(dst, float32(ox), float32(oy), float32(f.World.X*k), float32(f.World.Y*k), ColorFloor, false)
	vector.StrokeRect(dst, float32(ox), float32(oy), float32(f.World.X*k), float32(f.World.Y*k), float32(f.Scale), WithAlpha(ColorBorder, 0.6), false)

	dot := float32(1.5 * f.Scale)
	for i := range f.Entities {
		e := &f.Entities[i]
		switch e.E.Kind {
		case game.KindDrone:
			px, py := at(e.Pos)
			vector.FillRect(dst, px-dot/2, py-dot/2, dot, dot, WithAlpha(ColorDrone, 0.8), false)
		case game.KindPlayer:
			if e.E.ID == f.Self.ID || e.E.Timer > 0 {
				continue
			}
			px, py := at(e.Pos)
			sprite(dst, r.res.Dot, float64(px), float64(py), 0, float64(5*dot), PlayerColor(e.E.ID), ebiten.BlendSourceOver)
		}
	}

	// The camera's view, clipped to the arena: near an edge the screen
	// shows the void beyond it, which the minimap has no room for.
	lo, hi := f.Cam.Visible(f.W, f.H, 0)
	if lo, hi, ok := clipToWorld(lo, hi, f.World); ok {
		lx, ly := at(lo)
		hx, hy := at(hi)
		vector.StrokeRect(dst, lx, ly, hx-lx, hy-ly, float32(f.Scale), WithAlpha(ColorText, 0.35), false)
	}

	if f.Self.Known {
		px, py := at(f.Self.Pos)
		sprite(dst, r.res.Dot, float64(px), float64(py), 0, float64(6*dot), ColorText, ebiten.BlendSourceOver)
		sprite(dst, r.res.Ring, float64(px), float64(py), 0, float64(12*dot), WithAlpha(PlayerColor(f.Self.ID), 0.9), ebiten.BlendSourceOver)
	}
}

// clipToWorld returns the part of the rectangle lo-hi inside a world of
// size world, and whether any of it is.
func clipToWorld(lo, hi, world game.Vec) (game.Vec, game.Vec, bool) {
	lo = game.Vec{X: math.Max(lo.X, 0), Y: math.Max(lo.Y, 0)}
	hi = game.Vec{X: math.Min(hi.X, world.X), Y: math.Min(hi.Y, world.Y)}
	return lo, hi, hi.X > lo.X && hi.Y > lo.Y
}
