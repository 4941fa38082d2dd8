package snapshot

import (
	"errors"
	"fmt"

	"github.com/skirmish-game/skirmish/netcode"
)

// DefaultStates is how many applied states a Store keeps: one second at the
// default 30 Hz, which covers the server's own snapshot ring, so any baseline
// the server can still use is here too.
const DefaultStates = 32

var (
	// ErrMissingBaseline: the delta is from a tick the Store does not hold
	// (never applied, or already dropped). The server sends a full snapshot
	// once it sees the acknowledgement stay behind.
	ErrMissingBaseline = errors.New("snapshot: baseline not held")
	// ErrStale: the delta is not newer than the newest state applied.
	ErrStale = errors.New("snapshot: stale delta")
)

// Stats counts what a Store has done with the deltas given to it.
type Stats struct {
	Applied         uint64
	MissingBaseline uint64
	Stale           uint64
	Invalid         uint64 // deltas Apply rejected (netcode.ErrBaseline, ErrMalformed)
}

// Store holds the states applied most recently. Not safe for concurrent use.
type Store struct {
	states []netcode.State // ring slots; Tick 0 = empty
	newest int             // slot of the newest state; -1 when none
	stats  Stats
}

// NewStore returns a Store that keeps n states (DefaultStates if n < 2: a
// delta must never be written over its own baseline).
func NewStore(n int) *Store {
	if n < 2 {
		n = DefaultStates
	}
	return &Store{states: make([]netcode.State, n), newest: -1}
}

// Apply applies d to the state it names as its baseline (nothing, for a full
// snapshot) and keeps the result, which it returns; the pointer is valid until
// the Store has applied len(ring)-1 more states. A delta whose baseline is not
// held, or that is not newer than the newest state, leaves the Store as it was.
func (s *Store) Apply(d *netcode.Delta) (*netcode.State, error) {
	if cur := s.Latest(); cur != nil && !newer(d.Tick, cur.Tick) {
		s.stats.Stale++
		return nil, fmt.Errorf("%w: tick %d, newest %d", ErrStale, d.Tick, cur.Tick)
	}
	var base *netcode.State
	if d.Baseline != 0 {
		if base = s.find(d.Baseline); base == nil {
			s.stats.MissingBaseline++
			return nil, fmt.Errorf("%w: tick %d", ErrMissingBaseline, d.Baseline)
		}
	}
	slot := s.slotFor(base)
	dst := &s.states[slot]
	if err := netcode.ApplyInto(dst, base, d); err != nil {
		dst.Tick = 0 // the slot's old state is gone either way
		s.stats.Invalid++
		return nil, fmt.Errorf("snapshot: apply tick %d: %w", d.Tick, err)
	}
	s.newest = slot
	s.stats.Applied++
	return dst, nil
}

// Ack is the tick to acknowledge: the newest state applied, 0 if none.
func (s *Store) Ack() uint32 {
	if cur := s.Latest(); cur != nil {
		return cur.Tick
	}
	return 0
}

// Latest is the newest state applied, nil if none.
func (s *Store) Latest() *netcode.State {
	if s.newest < 0 {
		return nil
	}
	return &s.states[s.newest]
}

// Stats returns the counters.
func (s *Store) Stats() Stats { return s.stats }

// Reset forgets every state, keeping the buffers: for a new connection, whose
// server side holds no acknowledgement.
func (s *Store) Reset() {
	for i := range s.states {
		s.states[i].Tick = 0
		s.states[i].Entities = s.states[i].Entities[:0]
	}
	s.newest = -1
}

func (s *Store) find(tick uint32) *netcode.State {
	for i := range s.states {
		if s.states[i].Tick == tick {
			return &s.states[i]
		}
	}
	return nil
}

// slotFor picks the slot for a new state: an empty one, or else the one with
// the oldest tick other than base, which ApplyInto reads while it writes.
func (s *Store) slotFor(base *netcode.State) int {
	slot := -1
	for i := range s.states {
		st := &s.states[i]
		if st == base {
			continue
		}
		if st.Tick == 0 {
			return i
		}
		if slot < 0 || newer(s.states[slot].Tick, st.Tick) {
			slot = i
		}
	}
	return slot
}

// newer reports whether tick a is after b, allowing for wraparound.
func newer(a, b uint32) bool { return int32(a-b) > 0 }
