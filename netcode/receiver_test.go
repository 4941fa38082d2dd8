package netcode

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

// rxWorld is the server's view at tick: one player moving right and, on odd
// ticks, a pellet, so deltas both update and create or remove.
func rxWorld(tick uint32) *State {
	s := &State{Tick: tick, Entities: []Entity{
		{ID: 1, Kind: game.KindPlayer, X: uint16(100 + tick%1000), Y: 50, HP: 100, Name: "ann"},
	}}
	if tick%2 == 1 {
		s.Entities = append(s.Entities, Entity{ID: 7, Kind: game.KindPellet, X: 5, Y: 5, Score: 1})
	}
	return s
}

// rxDelta is what the server sends for tick against baseline (0 = full).
func rxDelta(tick, baseline uint32) *Delta {
	var base *State
	if baseline != 0 {
		base = rxWorld(baseline)
	}
	d := Diff(base, rxWorld(tick))
	d.Tick, d.Baseline = tick, baseline
	return &d
}

// step is one delta given to a Receiver and what must come of it.
type rxStep struct {
	name     string
	tick     uint32
	baseline uint32
	err      error
	ack      uint32 // after the step
}

func runSteps(t *testing.T, r *Receiver, steps []rxStep) {
	t.Helper()
	for _, st := range steps {
		got, err := r.Apply(rxDelta(st.tick, st.baseline))
		if st.err != nil {
			require.ErrorIs(t, err, st.err, st.name)
			assert.Nil(t, got, st.name)
		} else {
			require.NoError(t, err, st.name)
			assert.Equal(t, rxWorld(st.tick), got, st.name)
		}
		assert.Equal(t, st.ack, r.Ack(), st.name)
		assert.Equal(t, rxWorld(st.ack), r.Latest(), st.name)
	}
}

func TestReceiverBaselines(t *testing.T) {
	r := NewReceiver(5) // 5 slots
	assert.Zero(t, r.Ack(), "nothing applied yet")
	assert.Nil(t, r.Latest())
	runSteps(t, r, []rxStep{
		{name: "full snapshot", tick: 1, ack: 1},
		{name: "delta from the ack", tick: 2, baseline: 1, ack: 2},
		{name: "delta from an older view still held", tick: 3, baseline: 1, ack: 3},
		{name: "creates and removes", tick: 4, baseline: 3, ack: 4},
		{name: "baseline never seen", tick: 6, baseline: 5, err: ErrMissingBaseline, ack: 4},
		{name: "stale duplicate", tick: 4, baseline: 3, err: ErrStale, ack: 4},
		{name: "older than the newest", tick: 2, baseline: 1, err: ErrStale, ack: 4},
		{name: "delta skipping ticks", tick: 8, baseline: 4, ack: 8},
		{name: "ring holds 1 2 3 4 8", tick: 9, baseline: 8, ack: 9},
		{name: "9 went over 1, the oldest", tick: 10, baseline: 1, err: ErrMissingBaseline, ack: 9},
		{name: "2 is still held", tick: 10, baseline: 2, ack: 10},
		{name: "10 went over 3, not over its base 2", tick: 11, baseline: 2, ack: 11},
		{name: "3 is gone", tick: 12, baseline: 3, err: ErrMissingBaseline, ack: 11},
		{name: "server falls back to a full snapshot", tick: 13, ack: 13},
		{name: "and deltas resume from it", tick: 14, baseline: 13, ack: 14},
	})
	assert.Equal(t, ReceiverStats{Applied: 10, MissingBaseline: 3, Stale: 2}, r.Stats())
}

// TestReceiverKeepsOneSecond checks the pruning bound against what the
// server may name: a baseline less than TickRate ticks behind the snapshot.
func TestReceiverKeepsOneSecond(t *testing.T) {
	tests := []struct {
		name               string
		tickRate, snapRate int
	}{
		{name: "snapshot every tick", tickRate: 30, snapRate: 30},
		{name: "snapshot every 3rd tick", tickRate: 30, snapRate: 10},
		{name: "fast room", tickRate: 128, snapRate: 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := uint32(tt.tickRate / tt.snapRate)
			r := NewReceiver(tt.snapRate)
			_, err := r.Apply(rxDelta(k, 0))
			require.NoError(t, err)
			tick := k
			for range 3 * tt.snapRate {
				tick += k
				_, err := r.Apply(rxDelta(tick, tick-k))
				require.NoError(t, err, "tick %d", tick)
				require.LessOrEqual(t, r.Held(), tt.snapRate, "the bound holds")
			}
			assert.Equal(t, tt.snapRate, r.Held())

			// The oldest baseline the server may name for the next snapshot
			// is TickRate-1 ticks behind it, rounded up to a snapshot tick.
			next := tick + k
			oldest := next - uint32(tt.tickRate) + k
			_, err = r.Apply(rxDelta(next, oldest))
			require.NoError(t, err, "a baseline within the second is held")
			next += k
			_, err = r.Apply(rxDelta(next, next-uint32(tt.tickRate)-k))
			require.ErrorIs(t, err, ErrMissingBaseline, "one older than a second is not")
		})
	}
}

func TestReceiverNeverOverwritesBaseline(t *testing.T) {
	// With two slots, each delta must go into the slot that is not its base.
	r := NewReceiver(1) // 2 slots, the least there is
	_, err := r.Apply(rxDelta(1, 0))
	require.NoError(t, err)
	for tick := uint32(2); tick < 10; tick++ {
		got, err := r.Apply(rxDelta(tick, tick-1))
		require.NoError(t, err, "tick %d", tick)
		assert.Equal(t, rxWorld(tick), got)
	}
}

func TestReceiverRecyclesSlots(t *testing.T) {
	r := NewReceiver(3) // 3 slots
	_, err := r.Apply(rxDelta(1, 0))
	require.NoError(t, err)
	backing := map[*Entity]bool{}
	for tick := uint32(2); tick < 40; tick++ {
		st, err := r.Apply(rxDelta(tick, tick-1))
		require.NoError(t, err)
		if tick < 8 {
			continue // until every slot has grown to two entities
		}
		st0 := &st.Entities[:1][0]
		if tick > 10 {
			assert.True(t, backing[st0], "tick %d reuses a slot's entities", tick)
		}
		backing[st0] = true
	}
	assert.Len(t, backing, 3, "one backing array per slot")
}

func TestReceiverWraparound(t *testing.T) {
	const top = math.MaxUint32
	r := NewReceiver(3) // 3 slots
	runSteps(t, r, []rxStep{
		{name: "full near the top", tick: top - 1, ack: top - 1},
		{name: "the top", tick: top, baseline: top - 1, ack: top},
		{name: "past the wrap is newer", tick: 1, baseline: top, ack: 1},
		{name: "before the wrap is stale", tick: top, baseline: top - 1, err: ErrStale, ack: 1},
		{name: "over top-1, the oldest", tick: 2, baseline: 1, ack: 2},
		{name: "over top, not over 1", tick: 3, baseline: 2, ack: 3},
		{name: "1 is held", tick: 4, baseline: 1, ack: 4},
		{name: "top is gone", tick: 5, baseline: top, err: ErrMissingBaseline, ack: 4},
	})
}

func TestReceiverRejects(t *testing.T) {
	r := NewReceiver(4)
	full := AppendDelta(nil, rxDelta(1, 0))
	_, err := r.Receive(full)
	require.NoError(t, err)

	bad := rxDelta(2, 1)
	bad.Removed = []uint32{99} // not in the base
	_, err = r.Apply(bad)
	require.ErrorIs(t, err, ErrBaseline)
	_, err = r.Receive(full[:len(full)-2])
	require.ErrorIs(t, err, ErrMalformed)

	assert.Equal(t, uint32(1), r.Ack(), "a rejected delta changes nothing")
	assert.Equal(t, ReceiverStats{Applied: 1, Invalid: 2}, r.Stats())
	st, err := r.Receive(AppendDelta(nil, rxDelta(2, 1)))
	require.NoError(t, err, "the baseline survived")
	assert.Equal(t, rxWorld(2), st)
	assert.Equal(t, uint32(1), r.Delta().Baseline)
}

func TestReceiverReset(t *testing.T) {
	r := NewReceiver(4)
	_, err := r.Apply(rxDelta(5, 0))
	require.NoError(t, err)
	r.Reset()
	assert.Zero(t, r.Ack())
	assert.Zero(t, r.Held())
	_, err = r.Apply(rxDelta(6, 5))
	require.ErrorIs(t, err, ErrMissingBaseline, "nothing survives a reset")
	// A restarted server counts ticks from the start again.
	_, err = r.Apply(rxDelta(1, 0))
	require.NoError(t, err)
	assert.Equal(t, uint32(1), r.Ack())
}
