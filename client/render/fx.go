package render

import (
	"image/color"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/game"
)

type burstKind uint8

const (
	burstExplosion burstKind = iota + 1 // a ship or a drone destroyed
	burstSpark                          // a shot ending
	burstPickup                         // a pellet collected
)

// Lifetimes of the effects.
const (
	explosionLife = 900 * time.Millisecond
	sparkLife     = 250 * time.Millisecond
	pickupLife    = 350 * time.Millisecond
	debrisCount   = 18
)

// burst is one effect. Its whole motion is a function of its age, so drawing
// it changes nothing and a frame can be drawn at any time.
type burst struct {
	kind  burstKind
	start time.Time
	pos   game.Vec
	c     color.RGBA
	size  float64 // world units: the radius of what exploded
	seed  uint32
}

func (b *burst) life() time.Duration {
	switch b.kind {
	case burstExplosion:
		return explosionLife
	case burstSpark:
		return sparkLife
	}
	return pickupLife
}

// FX holds the running effects. Add them from Update, Prune in Update, and
// Draw reads them.
type FX struct {
	bursts []burst
}

// Explode starts an explosion of something of radius size at start (which
// may be in the future, to line it up with interpolated drawing).
func (fx *FX) Explode(pos game.Vec, c color.RGBA, size float64, start time.Time, seed uint32) {
	fx.bursts = append(fx.bursts, burst{kind: burstExplosion, start: start, pos: pos, c: c, size: size, seed: seed})
}

// Spark starts the small flash of a shot ending.
func (fx *FX) Spark(pos game.Vec, c color.RGBA, start time.Time, seed uint32) {
	fx.bursts = append(fx.bursts, burst{kind: burstSpark, start: start, pos: pos, c: c, size: game.ProjectileRadius, seed: seed})
}

// Pickup starts the glint of a pellet collected.
func (fx *FX) Pickup(pos game.Vec, c color.RGBA, start time.Time) {
	fx.bursts = append(fx.bursts, burst{kind: burstPickup, start: start, pos: pos, c: c, size: game.PelletRadius})
}

// Prune drops the effects that are over at now.
func (fx *FX) Prune(now time.Time) {
	live := fx.bursts[:0]
	for _, b := range fx.bursts {
		if now.Sub(b.start) < b.life() {
			live = append(live, b)
		}
	}
	fx.bursts = live
}

// Len counts the running effects.
func (fx *FX) Len() int { return len(fx.bursts) }

func (fx *FX) draw(dst *ebiten.Image, res *Resources, f *Frame) {
	for i := range fx.bursts {
		b := &fx.bursts[i]
		age := f.Now.Sub(b.start)
		if age < 0 || age >= b.life() {
			continue
		}
		u := float64(age) / float64(b.life())
		switch b.kind {
		case burstExplosion:
			drawExplosion(dst, res, f, b, age.Seconds(), u)
		case burstSpark:
			drawDebris(dst, res, f, b, age.Seconds(), u, 6, 180, 3)
		case burstPickup:
			x, y := f.toScreen(b.pos)
			sprite(dst, res.Glow, x, y, 0, b.size*(3+6*u)*f.Cam.Zoom, WithAlpha(b.c, (1-u)*0.8), ebiten.BlendLighter)
		}
	}
}

func drawExplosion(dst *ebiten.Image, res *Resources, f *Frame, b *burst, age, u float64) {
	x, y := f.toScreen(b.pos)
	z := f.Cam.Zoom
	fade := (1 - u) * (1 - u)
	sprite(dst, res.Glow, x, y, 0, b.size*(3+5*u)*z, WithAlpha(Lighten(b.c, 0.6), fade), ebiten.BlendLighter)
	ring := b.size * (1 + 2.5*(1-math.Exp(-4*u))) * z
	sprite(dst, res.Ring, x, y, 0, 2*ring, WithAlpha(Lighten(b.c, 0.3), 0.7*fade), ebiten.BlendLighter)
	drawDebris(dst, res, f, b, age, u, debrisCount, 320, 9)
}

// drawDebris draws n glowing fragments flying out from the burst, slowing
// down as they go.
func drawDebris(dst *ebiten.Image, res *Resources, f *Frame, b *burst, age, u float64, n int, speed, size float64) {
	x, y := f.toScreen(b.pos)
	z := f.Cam.Zoom
	const drag = 3.0
	travel := (1 - math.Exp(-drag*age)) / drag
	for i := 0; i < n; i++ {
		h := hash(b.seed, uint32(i))
		a := 2*math.Pi*float64(i)/float64(n) + (unit(h)-0.5)*0.8
		v := speed * (0.4 + 0.6*unit(h>>8))
		d := v * travel * z
		s := size * (0.5 + unit(h>>16)) * (1 - u) * z
		sprite(dst, res.Glow, x+math.Cos(a)*d, y+math.Sin(a)*d, 0, s*2, WithAlpha(Lighten(b.c, 0.4*unit(h>>4)), 1-u), ebiten.BlendLighter)
	}
}

// hash mixes a burst's seed with a fragment index (a 32-bit finalizer), so
// fragments scatter the same way every frame.
func hash(seed, i uint32) uint32 {
	h := seed*0x9e3779b1 ^ i*0x85ebca6b
	h ^= h >> 16
	h *= 0x7feb352d
	h ^= h >> 15
	h *= 0x846ca68b
	h ^= h >> 16
	return h
}

// unit maps the low 8 bits of h to [0, 1).
func unit(h uint32) float64 { return float64(h&0xff) / 256 }
