package engine

import (
	"time"

	"github.com/skirmish-game/skirmish/game"
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
// How two inputs become one: the later input's move and aim are applied,
// the earlier one's are skipped, fire pressed in either is kept (Buttons
// OR-ed), and lastSeq becomes the later seq. A shot fired in the merged
// tick on the earlier input's press keeps that input's seq and view
// (Projectile.Seq, lag compensation), so the client's predicted shot finds it. Why not run both as two game
// steps: Sim steps the whole world, not one player. Why this is exact for
// the client's prediction (netcode.Predictor): its Reconcile drops every
// pending input up to lastSeq, so a skipped seq is simply gone, and it
// replays the rest on the server's state. Movement does not read Buttons,
// so merging moves the player exactly as dropping the earlier input would.
// The server does one step for the two seqs, one fewer than the client
// predicted, but the backlog it cuts came from ticks on which the queue
// was empty and the server repeated the last input, one step more than
// predicted. When the queue ends as deep as it began, it was cut by as many
// inputs as the repeats grew it, so over a stall and its catch-up the
// server steps the player as often as the client did, and with the same
// keys held throughout (steady movement) it lands where the prediction
// did, bit for bit. In steady play the queue never
// stays deeper than the target, nothing is merged, and there are no
// corrections to cause.
const (
	// inputSpareWindow is how long one input over the target (a spare,
	// which jitter leaves behind after a late input) may stand before it is
	// cut. A spare that jitter still needs shows as a dip to the target
	// within this window; cutting one that is needed costs a repeated input
	// and two small prediction corrections, so this is the patient one.
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
	in     netcode.Input // to apply; meaningless when n is 0
	seq    uint32        // the newest seq consumed, the player's LastSeq from now on
	n      int           // inputs consumed: 0 (none queued: the last input stays), 1, or 2 (a catch-up)
	waited [2]uint32     // ticks each consumed input waited: 1 = applied on the first tick after it arrived
}

// take runs the jitter buffer for one tick of a connected member: the
// oldest queued input, merged with the next when the queue has stayed
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
	t := taken{in: q.in, seq: q.in.Seq, n: 1, waited: [2]uint32{m.ticks - q.at}}
	if m.n > 0 && (m.backlog >= m.jit.backlogTicks || m.deep >= m.jit.spareTicks) {
		later, _ := m.pop()
		t.seq = later.in.Seq
		if t.in.Buttons&game.ButtonFire != 0 {
			// The shot is the earlier input's, as the client predicted it:
			// it carries that input's seq and is judged by its view.
			later.in.Seq, later.in.Ack, later.in.View = t.in.Seq, t.in.Ack, t.in.View
		}
		later.in.Buttons |= t.in.Buttons
		t.in, t.n, t.waited[1] = later.in, 2, m.ticks-later.at
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
