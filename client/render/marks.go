package render

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/skirmish-game/skirmish/game"
)

// Lifetimes of the hit feedback.
const (
	markLife   = 350 * time.Millisecond // the cross of a hit marker
	numberLife = 900 * time.Millisecond // a damage number rising
	numberRise = 46.0                   // pixels a damage number rises, at HUD scale 1
)

// mark is one of the own shots landing: a hit marker and a damage number
// where the target was. Like a burst, it is a function of its age.
type mark struct {
	start  time.Time
	pos    game.Vec
	damage int
	kill   bool
}

// Marks are the hit markers and damage numbers running. Add them from
// Update, Prune in Update, and Draw reads them.
type Marks struct {
	list []mark
}

// Hit adds a hit on something at pos for damage, destroying it if kill, shown
// from start.
func (m *Marks) Hit(pos game.Vec, damage int, kill bool, start time.Time) {
	m.list = append(m.list, mark{start: start, pos: pos, damage: damage, kill: kill})
}

// Prune drops the marks that are over at now.
func (m *Marks) Prune(now time.Time) {
	live := m.list[:0]
	for _, k := range m.list {
		if now.Sub(k.start) < numberLife {
			live = append(live, k)
		}
	}
	m.list = live
}

// Len counts the running marks.
func (m *Marks) Len() int { return len(m.list) }

// DrawMarks draws the running hit markers and damage numbers at HUD scale s.
func (r *Renderer) DrawMarks(dst *ebiten.Image, f *Frame, s float64) {
	face := r.res.BoldFace(15 * s)
	big := r.res.BoldFace(19 * s)
	for i, k := range r.Marks.list {
		age := f.Now.Sub(k.start)
		if age < 0 {
			continue
		}
		x, y := f.toScreen(k.pos)
		c := color.RGBA{255, 255, 255, 255}
		if k.kill {
			c = ColorBorder
		}
		if age < markLife {
			u := float64(age) / float64(markLife)
			in, out := (7+4*u)*s, (15+6*u)*s
			if k.kill {
				in, out = in*1.3, out*1.4
			}
			w := float32(2.2 * s)
			for _, d := range [4][2]float64{{1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
				dx, dy := d[0]*math.Sqrt2/2, d[1]*math.Sqrt2/2
				vector.StrokeLine(dst, float32(x+dx*in), float32(y+dy*in), float32(x+dx*out), float32(y+dy*out), w, WithAlpha(c, 1-u*u), true)
			}
		}
		u := float64(age) / float64(numberLife)
		fc := face
		if k.kill {
			fc = big
		}
		// Numbers of hits close together drift apart sideways.
		dx := (float64(i%3) - 1) * 14 * s
		ny := y - 22*s - numberRise*s*(1-(1-u)*(1-u))
		Text(dst, fmt.Sprintf("%d", k.damage), fc, x+dx, ny, AlignCenter, WithAlpha(Lighten(c, 0.1), 1-u*u*u))
	}
}

// DrawFlash tints a w x h screen red, strongest at the edges, by amount
// (0..1): the own ship was hit.
func DrawFlash(dst *ebiten.Image, w, h int, amount float64) {
	if amount <= 0.01 {
		return
	}
	a := math.Min(1, amount)
	vector.FillRect(dst, 0, 0, float32(w), float32(h), WithAlpha(color.RGBA{200, 20, 40, 255}, 0.16*a), false)
	edge := float32(math.Min(float64(w), float64(h)) * 0.06)
	c := WithAlpha(color.RGBA{230, 30, 50, 255}, 0.35*a)
	for i := float32(0); i < 3; i++ {
		e := edge * (1 - i/3)
		vector.StrokeRect(dst, e/2, e/2, float32(w)-e, float32(h)-e, e, WithAlpha(c, 0.5), false)
	}
}
