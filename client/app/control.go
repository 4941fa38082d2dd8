package app

import (
	"math"
	"time"

	"github.com/skirmish-game/skirmish/game"
)

// held is the state of the player's controls for one tick.
type held struct {
	Up, Down, Left, Right bool
	Fire                  bool
}

// Move returns the 8-way Move bits for the held directions. Opposite keys
// cancel out here already, so the server never sees a contradiction.
func (h held) Move() uint8 {
	var m uint8
	switch {
	case h.Up && !h.Down:
		m |= game.MoveUp
	case h.Down && !h.Up:
		m |= game.MoveDown
	}
	switch {
	case h.Left && !h.Right:
		m |= game.MoveLeft
	case h.Right && !h.Left:
		m |= game.MoveRight
	}
	return m
}

// Buttons returns the Buttons bits.
func (h held) Buttons() uint8 {
	if h.Fire {
		return game.ButtonFire
	}
	return 0
}

// aimAt is the angle in radians from (fromX, fromY) to (toX, toY) in screen
// coordinates, which share the world's orientation (Y grows downwards, angle
// 0 is +X), normalized to [0, 2π). A zero-length vector keeps prev.
func aimAt(fromX, fromY, toX, toY, prev float64) float64 {
	dx, dy := toX-fromX, toY-fromY
	if dx == 0 && dy == 0 {
		return prev
	}
	a := math.Atan2(dy, dx)
	if a < 0 {
		a += 2 * math.Pi
	}
	return a
}

// minUpdateRate is the fewest Updates a second the client runs once joined.
// Ebiten takes its input snapshot once per Update, so that is how often keys
// can be read; a net tick (30 Hz by default) is too seldom for a tap.
const minUpdateRate = 60

// updatesPerTick is how many Updates make one net tick at tickRate: enough
// for Update to run at minUpdateRate or faster, and a whole number, so that
// every net tick is the same number of Updates and inputs go at tickRate.
func updatesPerTick(tickRate int) int {
	if tickRate <= 0 {
		return 1
	}
	return max(1, (minUpdateRate+tickRate-1)/tickRate)
}

func (h held) or(o held) held {
	return held{Up: h.Up || o.Up, Down: h.Down || o.Down, Left: h.Left || o.Left, Right: h.Right || o.Right, Fire: h.Fire || o.Fire}
}

// pressedSince is what is held in h and was not in prev.
func (h held) pressedSince(prev held) held {
	return held{Up: h.Up && !prev.Up, Down: h.Down && !prev.Down, Left: h.Left && !prev.Left, Right: h.Right && !prev.Right, Fire: h.Fire && !prev.Fire}
}

// inputLatch gathers the controls sampled on every Update between two net
// ticks. A net tick sends what is held at its time plus every key pressed
// since the last one, even if already released: a click, or a direction
// tapped, between two ticks is sent once rather than lost. A key released
// before the tick is not sent (unless it was pressed again in between).
type inputLatch struct {
	last held // the newest sample
	taps held // pressed since the last take
}

// sample records the controls as one Update sees them.
func (l *inputLatch) sample(h held) {
	l.taps = l.taps.or(h.pressedSince(l.last))
	l.last = h
}

// take returns the controls for the net tick and starts gathering the next.
func (l *inputLatch) take() held {
	h := l.last.or(l.taps)
	l.taps = held{}
	return h
}

// Catching up with the clock: at most maxCatchUp inputs at one Update, and
// ticks more than maxBehind late (a stall, a background tab) are not sent.
const (
	maxCatchUp = 4
	maxBehind  = 300 * time.Millisecond
)

// netPacer says how many net ticks' inputs an Update sends: one on every
// perTick-th Update, which keeps them evenly spaced; and more when Updates
// fall behind the clock. They do below 12 fps: Ebiten runs at most 5 Updates
// a frame and otherwise goes into slow motion, and inputs must still go at
// the tick rate, or the server repeats the last one where the prediction
// did not.
type netPacer struct {
	every   time.Duration // one net tick
	perTick int
	sub     int       // Updates since the last counted tick
	start   time.Time // when tick 0 was due
	sent    int64
}

// due returns how many inputs to send at the Update at now.
func (p *netPacer) due(now time.Time) int {
	if p.every <= 0 { // not set up: one input an Update, as a tick rate of TPS
		return 1
	}
	if p.start.IsZero() {
		p.start = now
	}
	n := 0
	if p.sub++; p.sub >= p.perTick {
		p.sub, n = 0, 1
	}
	// Ticks the clock has had that were not sent; an Update's jitter makes
	// it one either way.
	owed := int64(now.Sub(p.start)/p.every) + 1 - p.sent
	if owed > int64(n)+1 {
		n = int(min(owed, maxCatchUp))
		if owed > int64(maxBehind/p.every) {
			p.start = now.Add(-time.Duration(p.sent+int64(n)-1) * p.every)
		}
	}
	p.sent += int64(n)
	return n
}
