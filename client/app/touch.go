package app

import (
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/skirmish-game/skirmish/client/render"
)

// touchDead is a virtual stick's dead zone, in logical pixels at HUD scale
// 1: a thumb resting on the glass does not move the ship.
const touchDead = 12.0

// thumb is one finger on a virtual stick: where it came down (the stick's
// centre) and where it is.
type thumb struct {
	id     ebiten.TouchID
	down   bool
	ox, oy float64
	x, y   float64
}

func (t *thumb) offset() (dx, dy float64) { return t.x - t.ox, t.y - t.oy }

// touchPad is the twin-stick control of a touch screen: a finger put down on
// the left half of the screen is the move stick, one on the right half the
// aim stick, which fires while pushed out of its dead zone. The sticks
// appear wherever the thumbs land, so no fixed button is missed.
type touchPad struct {
	move, aim thumb
	used      bool // a finger was seen: the sticks are drawn and the help line says so
	began     bool // a finger landed on a stick in the last update
	ids       []ebiten.TouchID
}

// update follows the fingers on a w pixel wide screen; skip says a point
// belongs to a button (the menu's) and starts no stick. It runs on every
// Update, steering or not (menu, death), so that no lifted finger is
// missed.
func (p *touchPad) update(w int, skip func(x, y float64) bool) {
	p.began = false
	p.ids = inpututil.AppendJustPressedTouchIDs(p.ids[:0])
	for _, id := range p.ids {
		ix, iy := ebiten.TouchPosition(id)
		x, y := float64(ix), float64(iy)
		if skip(x, y) {
			continue
		}
		p.used, p.began = true, true
		t := &p.aim
		if x < float64(w)/2 {
			t = &p.move
		}
		if !t.down {
			*t = thumb{id: id, down: true, ox: x, oy: y, x: x, y: y}
		}
	}
	// A finger is gone when it is no longer touching, whether or not an
	// Update saw the moment it was lifted.
	p.ids = ebiten.AppendTouchIDs(p.ids[:0])
	for _, t := range []*thumb{&p.move, &p.aim} {
		if !t.down {
			continue
		}
		if !slices.Contains(p.ids, t.id) {
			t.down = false
			continue
		}
		ix, iy := ebiten.TouchPosition(t.id)
		t.x, t.y = float64(ix), float64(iy)
	}
}

// read is what the sticks hold at HUD scale s: the directions, fire, and
// the aim when the aim stick is pushed.
func (p *touchPad) read(s float64) (h held, aim float64, aimed bool) {
	dead := touchDead * s
	if p.move.down {
		h = stickHeld(p.move.x-p.move.ox, p.move.y-p.move.oy, dead)
	}
	if p.aim.down {
		dx, dy := p.aim.offset()
		if aim, aimed = stickAim(dx, dy, dead); aimed {
			h.Fire = true
		}
	}
	return h, aim, aimed
}

// sticks are the virtual sticks to draw.
func (p *touchPad) sticks() []render.Stick {
	var st []render.Stick
	for _, t := range []*thumb{&p.move, &p.aim} {
		if t.down {
			st = append(st, render.Stick{X: t.ox, Y: t.oy, DX: t.x - t.ox, DY: t.y - t.oy, Fire: t == &p.aim})
		}
	}
	return st
}
