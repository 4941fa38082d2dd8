package snapshot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// world returns the server's view at tick: one player moving right and, from
// tick 3 on, a pellet.
func world(tick uint32) *netcode.State {
	s := &netcode.State{Tick: tick, Entities: []netcode.Entity{
		{ID: 1, Kind: game.KindPlayer, X: uint16(100 + tick), Y: 50, HP: 100, Name: "ann"},
	}}
	if tick >= 3 {
		s.Entities = append(s.Entities, netcode.Entity{ID: 7, Kind: game.KindPellet, X: 5, Y: 5, Score: 1})
	}
	return s
}

// delta is what the server sends for tick against baseline (0 = full).
func delta(tick, baseline uint32) *netcode.Delta {
	var base *netcode.State
	if baseline != 0 {
		base = world(baseline)
	}
	d := netcode.Diff(base, world(tick))
	d.Tick, d.Baseline = tick, baseline
	return &d
}

func TestStoreScript(t *testing.T) {
	s := NewStore(4)
	steps := []struct {
		name     string
		tick     uint32
		baseline uint32
		err      error
		ack      uint32 // after the step
	}{
		{"nothing acked yet", 0, 0, nil, 0},
		{"full snapshot", 1, 0, nil, 1},
		{"delta from the ack", 2, 1, nil, 2},
		{"delta from an older state still held", 3, 1, nil, 3},
		{"creates and updates", 4, 3, nil, 4},
		{"baseline never seen", 6, 5, ErrMissingBaseline, 4},
		{"stale duplicate", 4, 3, ErrStale, 4},
		{"delta skipping ticks", 8, 4, nil, 8},
		{"more deltas push old states out", 9, 8, nil, 9},
		{"ring now holds 8..10", 10, 9, nil, 10},
		{"ring now holds 9..11", 11, 10, nil, 11},
		{"baseline dropped from the ring", 12, 4, ErrMissingBaseline, 11},
		{"server falls back to a full snapshot", 13, 0, nil, 13},
		{"and deltas resume from it", 14, 13, nil, 14},
	}
	for i, st := range steps {
		if st.tick == 0 {
			assert.Equal(t, uint32(0), s.Ack())
			assert.Nil(t, s.Latest())
			continue
		}
		got, err := s.Apply(delta(st.tick, st.baseline))
		if st.err != nil {
			require.ErrorIs(t, err, st.err, "step %d %s", i, st.name)
			assert.Nil(t, got)
		} else {
			require.NoError(t, err, "step %d %s", i, st.name)
			assert.Equal(t, world(st.tick), got, "step %d %s", i, st.name)
		}
		assert.Equal(t, st.ack, s.Ack(), "step %d %s", i, st.name)
		assert.Equal(t, world(st.ack), s.Latest(), "step %d %s", i, st.name)
	}
	assert.Equal(t, Stats{Applied: 10, MissingBaseline: 2, Stale: 1}, s.Stats())
}

func TestStoreNeverOverwritesBaseline(t *testing.T) {
	// With two slots, each delta must go into the slot that is not its base.
	s := NewStore(2)
	_, err := s.Apply(delta(1, 0))
	require.NoError(t, err)
	for tick := uint32(2); tick < 10; tick++ {
		got, err := s.Apply(delta(tick, tick-1))
		require.NoError(t, err, "tick %d", tick)
		assert.Equal(t, world(tick), got)
	}
}

func TestStoreInvalidDelta(t *testing.T) {
	s := NewStore(4)
	_, err := s.Apply(delta(1, 0))
	require.NoError(t, err)
	bad := delta(2, 1)
	bad.Removed = []uint32{99} // not in the base
	_, err = s.Apply(bad)
	require.ErrorIs(t, err, netcode.ErrBaseline)
	assert.Equal(t, uint32(1), s.Ack(), "a rejected delta changes nothing")
	assert.Equal(t, uint64(1), s.Stats().Invalid)
}

func TestStoreReset(t *testing.T) {
	s := NewStore(4)
	_, err := s.Apply(delta(5, 0))
	require.NoError(t, err)
	s.Reset()
	assert.Equal(t, uint32(0), s.Ack())
	// A restarted server counts ticks from the start again.
	_, err = s.Apply(delta(1, 0))
	require.NoError(t, err)
	assert.Equal(t, uint32(1), s.Ack())
}
