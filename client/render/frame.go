package render

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Self is the own ship as the client predicts it.
type Self struct {
	ID    uint32
	Name  string
	Pos   game.Vec
	Vel   game.Vec
	Aim   float64
	HP    int
	Score uint32 // for the level's max HP
	Alive bool
	Known bool // false until the first snapshot with the own player
}

// Frame is everything one picture of the arena shows.
type Frame struct {
	Cam      *Camera
	W, H     int     // screen pixels
	Scale    float64 // device pixels per logical pixel: text and lines grow with it
	Now      time.Time
	T        float64 // seconds since the client started: drives animations
	World    game.Vec
	Entities []netcode.Interpolated // everyone, interpolated; Self.ID is skipped
	Self     Self
}

func (f *Frame) toScreen(p game.Vec) (float64, float64) { return f.Cam.ToScreen(p, f.W, f.H) }

// Renderer draws frames. It holds the resources and the running effects.
type Renderer struct {
	res   *Resources
	FX    FX
	Marks Marks
}

// New returns a Renderer drawing with res.
func New(res *Resources) *Renderer { return &Renderer{res: res} }

// Resources returns what the Renderer draws with.
func (r *Renderer) Resources() *Resources { return r.res }

// DrawWorld draws the arena and everything in it, back to front.
func (r *Renderer) DrawWorld(dst *ebiten.Image, f *Frame) {
	r.drawArena(dst, f)
	lo, hi := f.Cam.Visible(f.W, f.H, 80)
	visible := func(p game.Vec) bool { return p.X >= lo.X && p.X <= hi.X && p.Y >= lo.Y && p.Y <= hi.Y }
	for _, kind := range []game.Kind{game.KindPellet, game.KindDrone, game.KindProjectile} {
		for i := range f.Entities {
			e := &f.Entities[i]
			if e.E.Kind == kind && visible(e.Pos) {
				r.drawEntity(dst, f, e)
			}
		}
	}
	for i := range f.Entities {
		e := &f.Entities[i]
		if e.E.Kind == game.KindPlayer && e.E.ID != f.Self.ID && e.E.Timer == 0 && visible(e.Pos) {
			r.drawShip(dst, f, e.E.ID, e.Pos, e.Vel, e.Aim, false)
		}
	}
	if f.Self.Known && f.Self.Alive {
		r.drawShip(dst, f, f.Self.ID, f.Self.Pos, f.Self.Vel, f.Self.Aim, true)
	}
	r.FX.draw(dst, r.res, f)
	for i := range f.Entities {
		e := &f.Entities[i]
		if e.E.Kind == game.KindPlayer && e.E.ID != f.Self.ID && e.E.Timer == 0 && visible(e.Pos) {
			r.drawLabel(dst, f, e.E.ID, e.E.Name, int(e.E.HP), e.E.Score, e.Pos)
		}
	}
	if f.Self.Known && f.Self.Alive {
		r.drawLabel(dst, f, f.Self.ID, f.Self.Name, f.Self.HP, f.Self.Score, f.Self.Pos)
	}
}

func (r *Renderer) drawEntity(dst *ebiten.Image, f *Frame, e *netcode.Interpolated) {
	switch e.E.Kind {
	case game.KindPellet:
		r.drawPellet(dst, f, e)
	case game.KindDrone:
		r.drawDrone(dst, f, e)
	case game.KindProjectile:
		r.drawShot(dst, f, e)
	}
}
