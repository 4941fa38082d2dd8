package netcode

import (
	"fmt"
	"math"
	"time"

	"github.com/skirmish-game/skirmish/game"
)

// Named defaults for InterpConfig.
const (
	DefaultInterpCapacity = 64 // snapshot states kept: 2 s at 30 Hz
	// DefaultInterpIntervals is the base render delay in snapshot intervals:
	// two leave one whole interval of slack for a late snapshot before the
	// buffer runs dry.
	DefaultInterpIntervals = 2.0
	// DefaultJitterMargin is the extra delay per unit of measured jitter (mean
	// absolute deviation of inter-arrival times): about two standard deviations
	// of arrival lateness.
	DefaultJitterMargin   = 2.0
	DefaultMinDelay       = 30 * time.Millisecond
	DefaultMaxDelay       = 500 * time.Millisecond
	DefaultMaxExtrapolate = 250 * time.Millisecond
	DefaultTeleportDist   = 200.0 // world units between two states past which an entity jumps instead of sliding
	// The render clock runs at most 10% slow while the delay grows, and 5%
	// fast while it shrinks: a ship slowed by a tenth is hardly seen, a jump
	// back to cover a stall is.
	DefaultDelayGrowRate   = 0.10
	DefaultDelayShrinkRate = 0.05
	// DefaultStallDecay is how fast the delay a stall asked for is forgotten:
	// 5 ms a second, so stalls a few seconds apart (TCP retransmits on a lossy
	// link) find the delay still there, and one 300 ms stall is forgotten in
	// about a minute.
	DefaultStallDecay = 0.005
)

// Smoothing factors of the per-snapshot EWMAs. Jitter rises fast (a burst of
// lateness must be covered at once) and falls slowly (RFC 3550 uses 1/16).
const (
	jitterRise = 0.25
	jitterFall = 1.0 / 16
	// offsetFall and offsetRise smooth arrival lateness, the server clock
	// estimate. On a TCP stream lateness is one-sided: a stall makes a burst
	// of late arrivals that says nothing of the clock, so the estimate rises
	// slowly and falls at the usual rate.
	offsetFall = 0.05
	offsetRise = offsetFall / 4
)

// InterpConfig sets up an Interpolator. Zero fields take the named defaults
// (TickRate game.DefaultTickRate; SnapshotRate TickRate).
type InterpConfig struct {
	TickRate        int           // server ticks per second (Welcome.TickRate)
	SnapshotRate    int           // snapshots per second (Welcome.SnapshotRate)
	Capacity        int           // states kept; the oldest is dropped past it
	Intervals       float64       // base delay, in snapshot intervals
	JitterMargin    float64       // extra delay per unit of measured jitter
	MinDelay        time.Duration // bounds of the render delay
	MaxDelay        time.Duration
	MaxExtrapolate  time.Duration // how far past the newest state entities are moved on their velocity
	TeleportDist    float64       // world units; a bigger move between states is drawn as a jump
	DelayGrowRate   float64       // fastest delay change per unit of elapsed time, growing
	DelayShrinkRate float64       // and shrinking
	// StallDecay is how fast the delay a late snapshot asked for is
	// forgotten, in seconds per second; the delay stays at most MaxDelay.
	StallDecay float64
}

// DefaultInterpConfig returns the named defaults for the standard tick rate.
func DefaultInterpConfig() InterpConfig {
	c := InterpConfig{}
	c.fill()
	return c
}

func (c *InterpConfig) fill() {
	if c.TickRate == 0 {
		c.TickRate = game.DefaultTickRate
	}
	if c.SnapshotRate == 0 {
		c.SnapshotRate = c.TickRate
	}
	if c.Capacity == 0 {
		c.Capacity = DefaultInterpCapacity
	}
	if c.Intervals == 0 {
		c.Intervals = DefaultInterpIntervals
	}
	if c.JitterMargin == 0 {
		c.JitterMargin = DefaultJitterMargin
	}
	if c.MinDelay == 0 {
		c.MinDelay = DefaultMinDelay
	}
	if c.MaxDelay == 0 {
		c.MaxDelay = DefaultMaxDelay
	}
	if c.MaxExtrapolate == 0 {
		c.MaxExtrapolate = DefaultMaxExtrapolate
	}
	if c.TeleportDist == 0 {
		c.TeleportDist = DefaultTeleportDist
	}
	if c.DelayGrowRate == 0 {
		c.DelayGrowRate = DefaultDelayGrowRate
	}
	if c.DelayShrinkRate == 0 {
		c.DelayShrinkRate = DefaultDelayShrinkRate
	}
	if c.StallDecay == 0 {
		c.StallDecay = DefaultStallDecay
	}
}

// Validate reports the first unusable field.
func (c InterpConfig) Validate() error {
	switch {
	case c.TickRate < 1:
		return fmt.Errorf("netcode: interp tick rate %d is below 1", c.TickRate)
	case c.SnapshotRate < 1 || c.SnapshotRate > c.TickRate:
		return fmt.Errorf("netcode: interp snapshot rate %d is not in 1..%d", c.SnapshotRate, c.TickRate)
	case c.Capacity < 2:
		return fmt.Errorf("netcode: interp capacity %d is below 2", c.Capacity)
	case !(c.Intervals >= 0) || !(c.JitterMargin >= 0):
		return fmt.Errorf("netcode: interp intervals %v and jitter margin %v must not be negative", c.Intervals, c.JitterMargin)
	case c.MinDelay < 0 || c.MaxDelay < c.MinDelay:
		return fmt.Errorf("netcode: interp delay bounds %v..%v are not a range", c.MinDelay, c.MaxDelay)
	case c.MaxExtrapolate < 0:
		return fmt.Errorf("netcode: interp max extrapolation %v is negative", c.MaxExtrapolate)
	case !(c.TeleportDist > 0):
		return fmt.Errorf("netcode: interp teleport distance %v is not positive", c.TeleportDist)
	case !(c.DelayGrowRate > 0 && c.DelayGrowRate < 1) || !(c.DelayShrinkRate > 0 && c.DelayShrinkRate < 1):
		// At 1 or more the render clock would stop or run backwards.
		return fmt.Errorf("netcode: interp delay rates %v, %v are not in (0, 1)", c.DelayGrowRate, c.DelayShrinkRate)
	case !(c.StallDecay > 0):
		// At 0 one stall would keep the delay up for the whole session.
		return fmt.Errorf("netcode: interp stall decay %v is not positive", c.StallDecay)
	}
	return nil
}

// Interpolated is one entity as it should be drawn at the render time.
type Interpolated struct {
	E   Entity   // wire values of the newer state (Kind, HP, Score, Name...)
	Pos game.Vec // world units
	Vel game.Vec // world units per second
	Aim float64  // radians in [0, 2π)
}

type interpState struct {
	tick     uint32
	entities []Entity // sorted by ID; the slot's backing array is reused
}

// Interpolator buffers the snapshot states the client has applied and
// renders the other entities a little in the past, between two states it
// already has, so that they move smoothly whatever the network does. Its
// render clock follows snapshot arrivals: server time is the tick count
// divided by TickRate. The caller skips its own player, which a Predictor
// draws. Not safe for concurrent use.
type Interpolator struct {
	cfg      InterpConfig
	rate     float64 // ticks per second
	interval float64 // seconds between snapshots

	states []interpState // ring, oldest at head, ascending ticks
	head   int
	n      int

	// Arrival times are seconds since t0; tick0 arrived then.
	t0     time.Time
	tick0  uint32
	prevAt float64
	offset float64 // smoothed lateness: arrival time minus server time of the tick
	jitter float64 // seconds
	delay  float64 // seconds, at prevAt
	target float64 // seconds; delay slews toward it as time passes
	stall  float64 // seconds, at prevAt: the delay the latest snapshots asked for, decaying

	out []Interpolated
}

// NewInterpolator returns an Interpolator, filling zero fields of cfg with the
// named defaults.
func NewInterpolator(cfg InterpConfig) (*Interpolator, error) {
	cfg.fill()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ip := &Interpolator{
		cfg:      cfg,
		rate:     float64(cfg.TickRate),
		interval: 1 / float64(cfg.SnapshotRate),
		states:   make([]interpState, cfg.Capacity),
	}
	ip.delay = ip.targetDelay()
	ip.target = ip.delay
	return ip, nil
}

// Reset forgets every state and measurement, as for a new session; buffers
// are kept.
func (ip *Interpolator) Reset() {
	for i := range ip.states {
		ip.states[i].entities = ip.states[i].entities[:0]
	}
	ip.head, ip.n = 0, 0
	ip.t0, ip.tick0, ip.prevAt, ip.offset, ip.jitter, ip.stall = time.Time{}, 0, 0, 0, 0, 0
	ip.delay = ip.targetDelay()
	ip.target = ip.delay
}

// Push records the state at tick (entities sorted by ID, as State holds them;
// copied) that arrived at the given client time. A tick not newer than the
// newest one held is ignored and Push returns false.
func (ip *Interpolator) Push(tick uint32, entities []Entity, arrival time.Time) bool {
	if ip.n > 0 && !SeqNewer(tick, ip.newest().tick) {
		return false
	}
	if ip.n == 0 {
		ip.t0, ip.tick0 = arrival, tick
	} else {
		ip.measure(tick, arrival.Sub(ip.t0).Seconds())
	}
	if ip.n == len(ip.states) {
		ip.head = (ip.head + 1) % len(ip.states)
		ip.n--
	}
	s := &ip.states[(ip.head+ip.n)%len(ip.states)]
	s.tick = tick
	s.entities = append(s.entities[:0], entities...)
	ip.n++
	return true
}

// measure updates the lateness, jitter and delay estimates with the arrival
// (seconds since t0) of a state newer than the newest held.
func (ip *Interpolator) measure(tick uint32, at float64) {
	ip.delay = ip.delayAt(at)
	// A stall that outlasted the delay and MaxExtrapolate has held the
	// others where extrapolation left them while the render clock ran on;
	// resuming at the clock would jump them forward by the rest of the
	// stall. The delay takes that up at once instead (up to MaxDelay), so
	// they move on from where they stood, and it is given back as any
	// delay is.
	held := float64(ip.newest().tick) + ip.cfg.MaxExtrapolate.Seconds()*ip.rate
	if over := (ip.renderAt(at, ip.delay) - held) / ip.rate; over > 0 {
		ip.delay = math.Max(ip.delay, math.Min(ip.delay+over, ip.cfg.MaxDelay.Seconds()))
	}
	lateness := at - ip.serverTime(tick)
	// The delay that would have had this state in hand when the render time
	// reached the one before it, with the base's interval of slack: a stall
	// asks for its length on top of the base.
	need := lateness - ip.offset + ip.cfg.Intervals*ip.interval
	// Capped here, not only in the target, so that a stall longer than the
	// cap is forgotten as fast as one at the cap.
	ip.stall = math.Min(math.Max(ip.stallAt(at), need), ip.cfg.MaxDelay.Seconds())

	// The render time is the server time estimate minus the delay; the delay
	// takes up the change of the estimate, so the render time does not jump
	// (a late burst moves the estimate by tens of milliseconds) and only
	// slews back as the delay moves toward its target.
	alpha := offsetFall
	if lateness > ip.offset {
		alpha = offsetRise
	}
	offset := ip.offset + alpha*(lateness-ip.offset)
	// Within MaxDelay, even when the estimate falls back after a stall the
	// delay took up at once (a render clock a little fast, then).
	ip.delay = math.Min(ip.delay-(offset-ip.offset), math.Max(ip.delay, ip.cfg.MaxDelay.Seconds()))
	ip.offset = offset

	dev := math.Abs(at - ip.prevAt - float64(tick-ip.newest().tick)/ip.rate)
	alpha = jitterFall
	if dev > ip.jitter {
		alpha = jitterRise
	}
	ip.jitter += alpha * (dev - ip.jitter)

	ip.prevAt = at
	ip.target = ip.targetDelay()
}

// stallAt is the stall cover at arrival-clock time at, decayed since the
// newest arrival.
func (ip *Interpolator) stallAt(at float64) float64 {
	return math.Max(0, ip.stall-ip.cfg.StallDecay*math.Max(0, at-ip.prevAt))
}

// delayAt is the delay at arrival-clock time at: it moves from its value at
// the newest arrival toward the target no faster than a fraction of the time
// that passed, so the render clock runs a little slow or fast while it adapts
// instead of jumping.
func (ip *Interpolator) delayAt(at float64) float64 {
	elapsed := at - ip.prevAt
	switch {
	case elapsed <= 0:
		return ip.delay
	case ip.target > ip.delay:
		return math.Min(ip.target, ip.delay+ip.cfg.DelayGrowRate*elapsed)
	default:
		return math.Max(ip.target, ip.delay-ip.cfg.DelayShrinkRate*elapsed)
	}
}

// targetDelay is the base (intervals plus the jitter margin) or what the
// latest stall asked for, whichever is more, within the bounds.
func (ip *Interpolator) targetDelay() float64 {
	d := math.Max(ip.cfg.Intervals*ip.interval+ip.cfg.JitterMargin*ip.jitter, ip.stall)
	return math.Min(math.Max(d, ip.cfg.MinDelay.Seconds()), ip.cfg.MaxDelay.Seconds())
}

// serverTime is tick's server time in seconds relative to tick0.
func (ip *Interpolator) serverTime(tick uint32) float64 {
	return float64(int32(tick-ip.tick0)) / ip.rate
}

func (ip *Interpolator) at(i int) *interpState {
	return &ip.states[(ip.head+i)%len(ip.states)]
}

func (ip *Interpolator) newest() *interpState { return ip.at(ip.n - 1) }

// Len counts the states held.
func (ip *Interpolator) Len() int { return ip.n }

// Newest returns the newest tick held, and false when there is none.
func (ip *Interpolator) Newest() (uint32, bool) {
	if ip.n == 0 {
		return 0, false
	}
	return ip.newest().tick, true
}

// Delay is the render delay behind the estimated server time, as of the newest
// snapshot's arrival.
func (ip *Interpolator) Delay() time.Duration { return fromSeconds(ip.delay) }

// DelayAt is the render delay at client time now: what the HUD shows, and
// what has moved on since the newest arrival while the delay slews.
func (ip *Interpolator) DelayAt(now time.Time) time.Duration {
	if ip.n == 0 {
		return fromSeconds(ip.delay)
	}
	return fromSeconds(ip.delayAt(now.Sub(ip.t0).Seconds()))
}

// Jitter is the smoothed deviation of snapshot inter-arrival times from the
// server's spacing of those snapshots.
func (ip *Interpolator) Jitter() time.Duration { return fromSeconds(ip.jitter) }

// RenderTick is the server time, in ticks, to draw at client time now: the
// server time estimated from arrivals, minus the delay. It is 0 before the
// first Push.
func (ip *Interpolator) RenderTick(now time.Time) float64 {
	if ip.n == 0 {
		return 0
	}
	at := now.Sub(ip.t0).Seconds()
	return ip.renderAt(at, ip.delayAt(at))
}

// renderAt is the render time, in ticks, at arrival-clock time at with the
// given delay.
func (ip *Interpolator) renderAt(at, delay float64) float64 {
	return float64(ip.tick0) + (at-ip.offset-delay)*ip.rate
}

// Sample returns every entity as it should be drawn at client time now. The
// slice is reused by the next call to Sample or SampleTick.
func (ip *Interpolator) Sample(now time.Time) []Interpolated {
	return ip.SampleTick(ip.RenderTick(now))
}

// SampleTick returns every entity as it should be drawn at render time rt
// (server ticks, fractional): linear between the two states around rt for
// entities in both, as in the newer state for entities new in it, absent for
// entities gone from it. Before the oldest state it holds that state; past
// the newest it moves entities on their velocity for up to MaxExtrapolate,
// then holds. An entity that carries no velocity (the server sends it for
// the client's own player only) gets the one its positions imply: between
// states, and in a gap, from the last two. The slice is reused by the next call.
func (ip *Interpolator) SampleTick(rt float64) []Interpolated {
	ip.out = ip.out[:0]
	if ip.n == 0 {
		return ip.out
	}
	newest := ip.newest()
	if rt >= float64(newest.tick) {
		ahead := math.Min((rt-float64(newest.tick))/ip.rate, ip.cfg.MaxExtrapolate.Seconds())
		if ip.n == 1 {
			for i := range newest.entities {
				ip.out = append(ip.out, extrapolate(&newest.entities[i], ahead))
			}
			return ip.out
		}
		ip.extrapolateAll(ip.at(ip.n-2), newest, ahead)
		return ip.out
	}
	oldest := ip.at(0)
	if rt <= float64(oldest.tick) {
		for i := range oldest.entities {
			ip.out = append(ip.out, extrapolate(&oldest.entities[i], 0))
		}
		return ip.out
	}
	j := ip.n - 1 // the first state after rt; states are few and rt is usually near the newest
	for j > 1 && float64(ip.at(j-1).tick) > rt {
		j--
	}
	a, b := ip.at(j-1), ip.at(j)
	f := (rt - float64(a.tick)) / float64(b.tick-a.tick)
	ip.blend(a, b, f)
	return ip.out
}

// blend merges the ID-sorted entities of two states into out at fraction f
// from a to b.
func (ip *Interpolator) blend(a, b *interpState, f float64) {
	i := 0
	for k := range b.entities {
		eb := &b.entities[k]
		for i < len(a.entities) && a.entities[i].ID < eb.ID {
			i++
		}
		if i == len(a.entities) || a.entities[i].ID != eb.ID {
			ip.out = append(ip.out, extrapolate(eb, 0))
			continue
		}
		ea := &a.entities[i]
		pa, pb := ea.Pos(), eb.Pos()
		if d := pb.Sub(pa); d.Dot(d) > ip.cfg.TeleportDist*ip.cfg.TeleportDist {
			ip.out = append(ip.out, extrapolate(eb, 0))
			continue
		}
		va, vb := ea.Vel(), eb.Vel()
		if !hasVel(ea) && !hasVel(eb) {
			va = ip.stepVel(pa, pb, b.tick-a.tick)
			vb = va
		}
		// int16 of the uint16 difference is the signed step count the short
		// way round.
		steps := float64(ea.Angle) + f*float64(int16(eb.Angle-ea.Angle))
		ip.out = append(ip.out, Interpolated{
			E:   *eb,
			Pos: pa.Add(pb.Sub(pa).Scale(f)),
			Vel: va.Add(vb.Sub(va).Scale(f)),
			Aim: stepsToRadians(steps),
		})
	}
}

// extrapolateAll moves the entities of the newest state on for ahead
// seconds. The server sends velocity only for the client's own player
// (PROTOCOL.md 5.2), so an entity without one moves on the velocity its last
// two positions imply, unless it jumped between them.
func (ip *Interpolator) extrapolateAll(prev, newest *interpState, ahead float64) {
	i := 0
	for k := range newest.entities {
		e := &newest.entities[k]
		if hasVel(e) {
			ip.out = append(ip.out, extrapolate(e, ahead))
			continue
		}
		for i < len(prev.entities) && prev.entities[i].ID < e.ID {
			i++
		}
		if i == len(prev.entities) || prev.entities[i].ID != e.ID {
			ip.out = append(ip.out, extrapolate(e, ahead))
			continue
		}
		pa, pb := prev.entities[i].Pos(), e.Pos()
		if d := pb.Sub(pa); d.Dot(d) > ip.cfg.TeleportDist*ip.cfg.TeleportDist {
			ip.out = append(ip.out, extrapolate(e, ahead))
			continue
		}
		ip.out = append(ip.out, moveOn(e, ip.stepVel(pa, pb, newest.tick-prev.tick), ahead))
	}
}

// stepVel is the velocity, in world units per second, that takes an entity
// from pa to pb in the given ticks.
func (ip *Interpolator) stepVel(pa, pb game.Vec, ticks uint32) game.Vec {
	return pb.Sub(pa).Scale(ip.rate / float64(ticks))
}

func hasVel(e *Entity) bool { return e.VX != 0 || e.VY != 0 }

// extrapolate moves e on its velocity for ahead seconds.
func extrapolate(e *Entity, ahead float64) Interpolated { return moveOn(e, e.Vel(), ahead) }

// moveOn moves e on v for ahead seconds.
func moveOn(e *Entity, v game.Vec, ahead float64) Interpolated {
	p := e.Pos()
	return Interpolated{
		E:   *e,
		Pos: p.Add(v.Scale(ahead)),
		Vel: v,
		Aim: stepsToRadians(float64(e.Angle)),
	}
}

// stepsToRadians turns a (fractional) count of angle steps within half a turn
// of [0, AngleSteps) into radians in [0, 2π).
func stepsToRadians(steps float64) float64 {
	switch {
	case steps < 0:
		steps += game.AngleSteps
	case steps >= game.AngleSteps:
		steps -= game.AngleSteps
	}
	return steps * (2 * math.Pi / game.AngleSteps)
}

func fromSeconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
