package netcode

import (
	"errors"
	"fmt"

	"github.com/skirmish-game/skirmish/game"
)

var (
	// ErrMissingBaseline: a delta from a tick the Receiver does not hold
	// (never applied, or more than a second old). A conforming server never
	// sends one; the client's way out is a new connection, whose first
	// snapshot is full.
	ErrMissingBaseline = errors.New("netcode: baseline not held")
	// ErrStale: a delta that is not newer than the newest state applied.
	ErrStale = errors.New("netcode: stale delta")
)

// ReceiverStats counts what a Receiver has done with the deltas given to it.
type ReceiverStats struct {
	Applied         uint64
	MissingBaseline uint64
	Stale           uint64
	Invalid         uint64 // deltas that did not decode or fit their base (ErrMalformed, ErrInvalidValue, ErrBaseline)
}

// Receiver is the receiving half of the snapshot protocol (PROTOCOL.md 5.3
// and 6): it applies each delta to the view it names as its baseline, keeps
// the result as a possible later baseline, and says which tick to
// acknowledge. Game clients, bots and tests all use it, so the tests exercise
// what players run. Not safe for concurrent use.
//
// Pruning, the one policy: the server deltas only against a view the client
// acknowledged that is less than TickRate ticks (one second) behind the
// snapshot, and sends a full snapshot otherwise (PROTOCOL.md 6). Snapshots
// are TickRate/SnapshotRate ticks apart, so the views the next snapshot may
// name are the SnapshotRate-1 newest. A Receiver keeps a fixed ring of
// SnapshotRate views, those and the one being written ("a simple ring of
// SnapshotRate views is enough"), and writes each new view over the oldest
// one that is not its own baseline. So memory is bounded by the rate, no
// view the server may name is ever dropped, and a baseline more than a
// second old is ErrMissingBaseline. Ticks are compared allowing for wraparound
// (RFC 1982), as input sequence numbers are.
//
// The slots keep their entity slices, so in steady state applying a delta
// allocates nothing.
type Receiver struct {
	slots  []slot
	newest int // index of the newest view; -1 when none
	delta  Delta
	stats  ReceiverStats
}

type slot struct {
	st   State
	held bool // st is a view applied since the last Reset
}

// NewReceiver returns a Receiver for a server sending snapshotRate snapshots
// a second: the Welcome's SnapshotRate, or its TickRate when that is 0. A
// rate below 1 keeps game.MaxTickRate views, enough for any server; the ring
// has at least two slots, since a delta is never written over its base.
func NewReceiver(snapshotRate int) *Receiver {
	if snapshotRate < 1 {
		snapshotRate = game.MaxTickRate
	}
	return &Receiver{slots: make([]slot, max(snapshotRate, 2)), newest: -1}
}

// Receive decodes a snapshot message and applies it; see Apply. Delta returns
// what was decoded, also when applying failed.
func (r *Receiver) Receive(data []byte) (*State, error) {
	if err := DecodeDelta(data, &r.delta); err != nil {
		r.stats.Invalid++
		return nil, fmt.Errorf("netcode: receive: %w", err)
	}
	return r.Apply(&r.delta)
}

// Delta is the snapshot Receive decoded last (its LastSeq, its Baseline). It
// is overwritten by the next Receive.
func (r *Receiver) Delta() *Delta { return &r.delta }

// Apply applies d to the view it names as its baseline (nothing, for a full
// snapshot) and keeps the result, which it returns. The State is the
// Receiver's: it stays valid until SnapshotRate-1 more deltas have been
// applied, and callers must not modify it. A delta that is not newer than the
// newest view (ErrStale), whose baseline is not held (ErrMissingBaseline) or
// that does not fit its base (ErrBaseline, ErrMalformed) leaves the views as
// they were, except that an invalid delta may have used up the oldest.
func (r *Receiver) Apply(d *Delta) (*State, error) {
	if cur := r.Latest(); cur != nil && !serialNewer(d.Tick, cur.Tick) {
		r.stats.Stale++
		return nil, fmt.Errorf("%w: tick %d, newest %d", ErrStale, d.Tick, cur.Tick)
	}
	base := -1
	if d.Baseline != 0 {
		if base = r.find(d.Baseline); base < 0 {
			r.stats.MissingBaseline++
			return nil, fmt.Errorf("%w: delta %d from baseline %d (%s)", ErrMissingBaseline, d.Tick, d.Baseline, r.describe())
		}
	}
	i := r.slotFor(base)
	dst := &r.slots[i]
	var bs *State
	if base >= 0 {
		bs = &r.slots[base].st
	}
	if err := ApplyInto(&dst.st, bs, d); err != nil {
		dst.held = false // its old view is gone either way
		r.stats.Invalid++
		return nil, fmt.Errorf("netcode: apply delta %d from baseline %d: %w", d.Tick, d.Baseline, err)
	}
	dst.held = true
	r.newest = i
	r.stats.Applied++
	return &dst.st, nil
}

// Ack is the tick to acknowledge: the newest view applied, 0 if none.
func (r *Receiver) Ack() uint32 {
	if cur := r.Latest(); cur != nil {
		return cur.Tick
	}
	return 0
}

// Latest is the newest view applied, nil if none.
func (r *Receiver) Latest() *State {
	if r.newest < 0 {
		return nil
	}
	return &r.slots[r.newest].st
}

// Held counts the views kept as possible baselines.
func (r *Receiver) Held() int {
	n := 0
	for i := range r.slots {
		if r.slots[i].held {
			n++
		}
	}
	return n
}

// Stats returns the counters.
func (r *Receiver) Stats() ReceiverStats { return r.stats }

// Reset forgets every view, keeping the buffers: for a new connection, whose
// server side holds no acknowledgement and may count ticks from the start.
func (r *Receiver) Reset() {
	for i := range r.slots {
		r.slots[i].held = false
		r.slots[i].st.Tick = 0
		r.slots[i].st.Entities = r.slots[i].st.Entities[:0]
	}
	r.newest = -1
}

func (r *Receiver) find(tick uint32) int {
	for i := range r.slots {
		if r.slots[i].held && r.slots[i].st.Tick == tick {
			return i
		}
	}
	return -1
}

// slotFor picks the slot for a new view: an empty one, or else the one with
// the oldest tick other than base, which ApplyInto reads while it writes.
func (r *Receiver) slotFor(base int) int {
	oldest := -1
	for i := range r.slots {
		if i == base {
			continue
		}
		s := &r.slots[i]
		if !s.held {
			return i
		}
		if oldest < 0 || serialNewer(r.slots[oldest].st.Tick, s.st.Tick) {
			oldest = i
		}
	}
	return oldest
}

// describe names the held ticks, for an error message.
func (r *Receiver) describe() string {
	n, lo, hi := 0, uint32(0), uint32(0)
	for i := range r.slots {
		s := &r.slots[i]
		if !s.held {
			continue
		}
		if n == 0 || serialNewer(lo, s.st.Tick) {
			lo = s.st.Tick
		}
		if n == 0 || serialNewer(s.st.Tick, hi) {
			hi = s.st.Tick
		}
		n++
	}
	if n == 0 {
		return "none held"
	}
	return fmt.Sprintf("%d held, ticks %d..%d", n, lo, hi)
}
