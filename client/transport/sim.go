package transport

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Limits Sim.Validate enforces: past them a value is a typo, not a network.
const (
	MaxSimDelay = 10 * time.Second // latency, and a stall's hold
	// DefaultSimQueue is how many messages one direction of a simulated
	// network holds: ten seconds of 30 Hz snapshots, with room to spare.
	// Past it a received message is dropped (and counted in Dropped) and a
	// send is refused with ErrBackpressure.
	DefaultSimQueue = 1024
)

// ErrSim is wrapped by every error ParseStall and Sim.Validate return.
var ErrSim = errors.New("transport: invalid network simulation")

// Sim is a network simulator in the connection, as Valve's net_fakelag: it
// delays what is sent before it is written and what is received before it is
// delivered, each message by Latency +- Jitter, and holds everything during
// a periodic Stall. Messages stay in order, as over TCP. The zero Sim is off
// and costs nothing; on, a connection has two goroutines more.
//
// Only binary messages after the handshake are delayed: the WebSocket
// handshake, text frames (WriteText) and Abort are not.
type Sim struct {
	Latency time.Duration // added one way, in each direction
	Jitter  time.Duration // each message's delay is uniform in Latency +- Jitter
	Stall   Stall
}

// On reports whether s delays anything.
func (s Sim) On() bool { return s.Latency > 0 || s.Jitter > 0 || s.Stall.On() }

// Validate reports the first unusable field.
func (s Sim) Validate() error {
	switch {
	case s.Latency < 0 || s.Latency > MaxSimDelay:
		return fmt.Errorf("%w: latency %v outside 0..%v", ErrSim, s.Latency, MaxSimDelay)
	case s.Jitter < 0 || s.Jitter > s.Latency:
		// Above the latency a delay would go negative: a message would
		// arrive before it was sent.
		return fmt.Errorf("%w: jitter %v outside 0..latency (%v)", ErrSim, s.Jitter, s.Latency)
	}
	return s.Stall.validate()
}

// Stall is a periodic hold, as a TCP retransmit looks from the game: for
// Hold out of every Every nothing comes through, then all that was held does
// at once. Its text form is "HOLD/EVERY", e.g. "200ms/5s"; "" or "0" is off.
type Stall struct {
	Hold, Every time.Duration
}

// On reports whether s holds anything.
func (s Stall) On() bool { return s.Hold > 0 }

// ParseStall reads "HOLD/EVERY" (Go durations, HOLD below EVERY), or "" or
// "0" for none.
func ParseStall(v string) (Stall, error) {
	if v == "" || v == "0" {
		return Stall{}, nil
	}
	hold, every, ok := strings.Cut(v, "/")
	if !ok {
		return Stall{}, fmt.Errorf("%w: stall %q is not HOLD/EVERY, e.g. 200ms/5s", ErrSim, v)
	}
	var s Stall
	var err error
	if s.Hold, err = time.ParseDuration(hold); err != nil {
		return Stall{}, fmt.Errorf("%w: stall %q: hold: %w", ErrSim, v, err)
	}
	if s.Every, err = time.ParseDuration(every); err != nil {
		return Stall{}, fmt.Errorf("%w: stall %q: every: %w", ErrSim, v, err)
	}
	if err := s.validate(); err != nil {
		return Stall{}, err
	}
	return s, nil
}

func (s Stall) validate() error {
	if s == (Stall{}) {
		return nil
	}
	if s.Hold <= 0 || s.Hold > MaxSimDelay || s.Every <= s.Hold {
		return fmt.Errorf("%w: stall %v: hold must be in (0, %v] and below every", ErrSim, s, MaxSimDelay)
	}
	return nil
}

// String is the text form ParseStall reads.
func (s Stall) String() string {
	if !s.On() {
		return "0"
	}
	return s.Hold.String() + "/" + s.Every.String()
}

// Set implements flag.Value.
func (s *Stall) Set(v string) error {
	p, err := ParseStall(v)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

// schedule decides when each message of one direction comes out of the
// simulated network. It is pure: it reads no clock, and its randomness is
// the function it is given, so tests can drive it.
type schedule struct {
	sim    Sim
	origin time.Time      // where the stall period starts, shared by both directions
	rand   func() float64 // uniform in [0, 1)
	last   time.Time      // the previous message's release
}

// release is when a message that entered the network at t comes out: t plus
// the delay, past the end of a stall it falls in, and never before the
// message ahead of it (TCP does not reorder; jitter only bunches).
func (s *schedule) release(t time.Time) time.Time {
	d := s.sim.Latency
	if s.sim.Jitter > 0 {
		d += time.Duration((2*s.rand() - 1) * float64(s.sim.Jitter))
	}
	at := s.unstall(t.Add(d))
	if at.Before(s.last) {
		at = s.last
	}
	s.last = at
	return at
}

// unstall moves at to the end of the stall it falls in. A stall is the last
// Hold of each period, so it ends on a multiple of Every after origin and the
// first comes a whole period after the connection opened.
func (s *schedule) unstall(at time.Time) time.Time {
	st := s.sim.Stall
	if !st.On() {
		return at
	}
	e := at.Sub(s.origin)
	if e < 0 {
		return at
	}
	end := (e/st.Every + 1) * st.Every
	if end-e <= st.Hold {
		return s.origin.Add(end)
	}
	return at
}

// clock is what a line waits on; tests give it a fake.
type clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed. A line
	// waits on one at a time, so an implementation may reuse its timer.
	After(d time.Duration) <-chan time.Time
}

// timerClock is the real clock, with one timer reused for every wait.
type timerClock struct{ t *time.Timer }

func newTimerClock() *timerClock {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &timerClock{t: t}
}

func (c *timerClock) Now() time.Time { return time.Now() }

func (c *timerClock) After(d time.Duration) <-chan time.Time {
	c.t.Reset(d) // since Go 1.23 a Reset timer never delivers a stale time
	return c.t.C
}

// held is a message in flight, or with end set the last thing a line does.
type held struct {
	msg []byte
	at  time.Time
	end func()
}

// line is one direction of the simulated network: a bounded FIFO of held
// messages and a goroutine that lets each go at its release time.
type line struct {
	clock   clock
	deliver func(msg []byte, at time.Time) // on the line's goroutine, in order
	max     int

	mu     sync.Mutex
	sched  schedule
	q      []held
	closed bool // after end or stop: nothing more is taken

	wake chan struct{} // cap 1: the queue was empty and is not now
	quit chan struct{} // closed by stop
	stop func()
}

func newLine(sched schedule, c clock, maxHeld int, deliver func([]byte, time.Time)) *line {
	l := &line{clock: c, deliver: deliver, max: maxHeld, sched: sched, wake: make(chan struct{}, 1), quit: make(chan struct{})}
	var once sync.Once
	l.stop = func() {
		once.Do(func() {
			l.mu.Lock()
			l.closed, l.q = true, nil
			l.mu.Unlock()
			close(l.quit)
		})
	}
	go l.run()
	return l
}

// push takes msg, which entered the network at t; the line owns it from now.
func (l *line) push(msg []byte, t time.Time) error {
	return l.add(held{msg: msg}, t)
}

// end runs fn once every message taken so far has been delivered, at the
// time a message entering at t would come out (a close travels the network
// like the messages before it); then the line stops taking and ends.
func (l *line) end(fn func(), t time.Time) error { return l.add(held{end: fn}, t) }

func (l *line) add(h held, t time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
		return ErrClosed
	case len(l.q) >= l.max && h.end == nil:
		return ErrBackpressure
	}
	h.at = l.sched.release(t)
	l.q = append(l.q, h)
	l.closed = h.end != nil
	if len(l.q) == 1 {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// head is the next message to let go, if any.
func (l *line) head() (held, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.q) == 0 {
		return held{}, false
	}
	return l.q[0], true
}

func (l *line) pop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.q) > 0 { // stop may have emptied it meanwhile
		l.q[0] = held{}
		l.q = l.q[1:]
	}
}

func (l *line) run() {
	for {
		h, ok := l.head()
		if !ok {
			select {
			case <-l.wake:
				continue
			case <-l.quit:
				return
			}
		}
		// Releases only grow, so nothing pushed meanwhile is due before h.
		if d := h.at.Sub(l.clock.Now()); d > 0 {
			select {
			case <-l.clock.After(d):
			case <-l.quit:
				return
			}
		}
		select {
		case <-l.quit:
			return // stopped while waiting: h is dropped with the rest
		default:
		}
		l.pop()
		if h.end != nil {
			l.stop()
			h.end()
			return
		}
		l.deliver(h.msg, h.at)
	}
}

// simNet is a connection's simulated network: what it sends goes up, what it
// receives comes down, both through the same stall periods.
type simNet struct {
	up, down *line
	clock    clock
}

// newSimNet starts the two lines: write puts a released message on the
// socket, deliver hands a released one to the reader with its simulated
// arrival time.
func newSimNet(s Sim, write, deliver func(msg []byte, at time.Time)) *simNet {
	return newSimNetWith(s, newTimerClock(), newTimerClock(), rand.Float64, DefaultSimQueue, write, deliver)
}

func newSimNetWith(s Sim, upClock, downClock clock, rnd func() float64, maxHeld int, write, deliver func([]byte, time.Time)) *simNet {
	origin := upClock.Now()
	return &simNet{
		up:    newLine(schedule{sim: s, origin: origin, rand: rnd}, upClock, maxHeld, write),
		down:  newLine(schedule{sim: s, origin: origin, rand: rnd}, downClock, maxHeld, deliver),
		clock: upClock,
	}
}

// send holds msg (the network's from now on) before it is written.
func (n *simNet) send(msg []byte) error { return n.up.push(msg, n.clock.Now()) }

// receive holds msg, which came off the socket at at, before it is delivered.
func (n *simNet) receive(msg []byte, at time.Time) error { return n.down.push(msg, at) }

// closeSend runs fn (the close frame's write) after what was sent before it.
func (n *simNet) closeSend(fn func()) error { return n.up.end(fn, n.clock.Now()) }

// ended is the socket's end, at at: nothing more can be written, and fn (the
// reader's end) runs after what was received before it.
func (n *simNet) ended(fn func(), at time.Time) {
	n.up.stop()
	if n.down.end(fn, at) != nil {
		fn() // cannot happen: only the socket's end ends the down line
	}
}
