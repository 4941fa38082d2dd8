package bot

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/skirmish-game/skirmish/game"
)

// Behavior is how a bot plays.
type Behavior int

// The behaviors.
const (
	Idle   Behavior = iota // zero input every tick
	Wander                 // random-walk movement, no fire
	Fight                  // wander, aim at the nearest visible player and fire
)

// ErrBehavior is returned by ParseBehavior for an unknown name.
var ErrBehavior = fmt.Errorf("bot: unknown behavior (want idle, wander or fight)")

var behaviorNames = [...]string{Idle: "idle", Wander: "wander", Fight: "fight"}

func (b Behavior) String() string {
	if b >= 0 && int(b) < len(behaviorNames) {
		return behaviorNames[b]
	}
	return fmt.Sprintf("behavior(%d)", int(b))
}

// ParseBehavior reads "idle", "wander" or "fight".
func ParseBehavior(s string) (Behavior, error) {
	for i, n := range behaviorNames {
		if n == s {
			return Behavior(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrBehavior, s)
}

// Set and the String above make a *Behavior a flag.Value.
func (b *Behavior) Set(s string) error {
	v, err := ParseBehavior(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// Random-walk tuning: a bot keeps a heading for a while, and steers back in
// when near a wall so that bots spread over the arena rather than pile up on
// its edges.
const (
	minLeg      = 500 * time.Millisecond
	maxLeg      = 2 * time.Second
	edgeMargin  = 0.1  // fraction of the world size that counts as near a wall
	aimJitter   = 0.15 // radians of random aim drift per input
	stillChance = 0.1  // chance that a new leg stands still
)

var headings = [...]uint8{
	game.MoveUp, game.MoveUp | game.MoveRight, game.MoveRight, game.MoveDown | game.MoveRight,
	game.MoveDown, game.MoveDown | game.MoveLeft, game.MoveLeft, game.MoveUp | game.MoveLeft,
}

// view is what the reader side learned from the newest snapshot that the
// behavior needs.
type view struct {
	self      game.Vec
	hasSelf   bool
	targetAim float64
	hasTarget bool
	worldW    float64
	worldH    float64
}

// mind turns a behavior and the current view into inputs. Only the sending
// goroutine uses it.
type mind struct {
	behavior Behavior
	rng      *rand.Rand
	move     uint8
	aim      float64
	legEnds  time.Time
}

// next returns the input for this tick.
func (m *mind) next(now time.Time, v view) game.Input {
	if m.behavior == Idle {
		return game.Input{}
	}
	if !now.Before(m.legEnds) {
		m.move = m.newLeg(v)
		m.legEnds = now.Add(minLeg + time.Duration(m.rng.Int64N(int64(maxLeg-minLeg))))
	}
	m.aim = wrapAngle(m.aim + aimJitter*m.rng.NormFloat64())
	in := game.Input{Move: m.move, Aim: m.aim}
	if m.behavior == Fight && v.hasTarget {
		in.Aim = v.targetAim
		in.Buttons = game.ButtonFire
	}
	return in
}

func (m *mind) newLeg(v view) uint8 {
	if m.rng.Float64() < stillChance {
		return 0
	}
	move := headings[m.rng.IntN(len(headings))]
	if !v.hasSelf || v.worldW <= 0 || v.worldH <= 0 {
		return move
	}
	// Near a wall, replace the axis that points into it with one pointing away.
	mx, my := edgeMargin*v.worldW, edgeMargin*v.worldH
	switch {
	case v.self.X < mx:
		move = move&^game.MoveLeft | game.MoveRight
	case v.self.X > v.worldW-mx:
		move = move&^game.MoveRight | game.MoveLeft
	}
	switch {
	case v.self.Y < my:
		move = move&^game.MoveUp | game.MoveDown
	case v.self.Y > v.worldH-my:
		move = move&^game.MoveDown | game.MoveUp
	}
	return move
}

// wrapAngle maps a to (-π, π].
func wrapAngle(a float64) float64 {
	a = math.Mod(a, 2*math.Pi)
	switch {
	case a > math.Pi:
		a -= 2 * math.Pi
	case a <= -math.Pi:
		a += 2 * math.Pi
	}
	return a
}
