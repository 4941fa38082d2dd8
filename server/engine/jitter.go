package engine

import (
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// The jitter buffer. A client sends one input a tick and the room applies
// one a tick, so the number of inputs queued when a tick starts is the
// player's input delay in ticks. Jitter makes it wander by an input or two
// and comes back by itself; a stall (a TCP retransmit, a paused tab, a
// server hiccup) leaves a backlog that, applied one a tick, would stay for
// the rest of the game. So a queue that has stayed deeper than the target
// is cut by one input a tick, by applying two inputs in one tick, until it
// is back at the target.
//
// Every input is applied exactly once (game/commands.go): a tick that
// finds the queue empty holds the player (it waits for its late input
// rather than repeating the last one), and a catch-up tick runs both of
// its inputs in turn, each with its own move, aim, fire and seq. So the
// player's state after input n is the same however the inputs arrived,
// and the client's prediction (netcode.Predictor), which runs one step
// per input it sends, is the server's bit for bit through jitter, stalls
// and catch-ups: nothing here causes a correction. What the others see is
// the truth of the network: a player whose inputs are late stops, then
// catches up at twice the pace for as many ticks.

const (
	// inputSpareWindow is how long one input over the target (a spare,
	// which jitter leaves behind after a late input) may stand before it is
	// cut. A spare that jitter still needs shows as a dip to the target
	// within this window; cutting one that is needed costs a held tick (a
	// stop and a double step that the others see), so this is the patient
	// one.
	inputSpareWindow = 800 * time.Millisecond
	// inputBacklogWindow is how long two or more inputs over the target may
	// stand before they are cut: jitter that makes the queue that deep
	// drains within a few ticks, a stall's backlog does not. After a 300 ms
	// stall at 30 Hz the queue is back at the target in about 0.8 s: the
	// backlog is cut from 0.2 s on, the last spare at inputSpareWindow.
	inputBacklogWindow = 200 * time.Millisecond
)

// queuedInput is an input in a member's queue, stamped with the member's
// tick count when it arrived.
type queuedInput struct {
	in netcode.Input
	at uint32
}

// jitterPolicy is the jitter buffer's settings, in ticks.
type jitterPolicy struct {
	target       int // Config.InputDelay: the queue depth held
	spareTicks   int // inputSpareWindow
	backlogTicks int // inputBacklogWindow
}

func newJitterPolicy(cfg Config) jitterPolicy {
	ticks := func(d time.Duration) int {
		return max(1, int(d*time.Duration(cfg.TickRate)/time.Second))
	}
	return jitterPolicy{
		target:       cfg.InputDelay,
		spareTicks:   ticks(inputSpareWindow),
		backlogTicks: ticks(inputBacklogWindow),
	}
}

// taken is what the jitter buffer gives a tick.
type taken struct {
	ins    [2]netcode.Input // to apply in turn, the first n of them
	n      int              // inputs consumed: 0 (none queued: the player is held), 1, or 2 (a catch-up)
	waited [2]uint32        // ticks each consumed input waited: 1 = applied on the first tick after it arrived
}

// take runs the jitter buffer for one tick of a connected member: the
// oldest queued input, and the next with it when the queue has stayed
// deeper than the target (see the comment at the top of this file). Call
// it once per tick, also when nothing is queued, since empty ticks are
// what the windows measure.
func (m *member) take() taken {
	m.ticks++
	depth := m.n
	m.deep = runLength(m.deep, depth > m.jit.target)
	m.backlog = runLength(m.backlog, depth > m.jit.target+1)
	q, ok := m.pop()
	if !ok {
		return taken{}
	}
	t := taken{ins: [2]netcode.Input{q.in}, n: 1, waited: [2]uint32{m.ticks - q.at}}
	if m.n > 0 && (m.backlog >= m.jit.backlogTicks || m.deep >= m.jit.spareTicks) {
		later, _ := m.pop()
		t.ins[1], t.n, t.waited[1] = later.in, 2, m.ticks-later.at
	}
	return t
}

// runLength extends a run of consecutive ticks on which cond held, or
// ends it.
func runLength(run int, cond bool) int {
	if cond {
		return run + 1
	}
	return 0
}
