package engine

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// TestSnapshotInputDelay: each snapshot tells the client how long its
// newest applied input waited in the queue. Steady, one tick; after a
// stall the backlog shows, and it is back at one tick within a second of
// the inputs coming again.
func TestSnapshotInputDelay(t *testing.T) {
	cfg := testConfig(t)
	cfg.InputQueue = 16 // the stall's backlog fits
	g := newJitterRig(t, cfg, newCounterSim(nil)(cfg.TickRate, 1))
	const steady, stall = 30, 9
	arrivals := concat(repeat(1, steady), repeat(0, stall), []int{stall + 1})
	g.run(arrivals, len(arrivals)+cfg.TickRate)

	var delays []uint16
	for _, f := range g.p.frames {
		if k, _ := netcode.PeekKind(f); k != netcode.KindSnapshot {
			continue
		}
		var h netcode.SnapshotHead
		require.NoError(t, netcode.DecodeSnapshotHead(f, &h))
		delays = append(delays, h.InputDelay)
	}
	require.Len(t, delays, len(arrivals)+cfg.TickRate, "a snapshot a tick")
	assert.Equal(t, repeat(1, steady), toInts(delays[:steady]), "steady: applied on the first tick after arriving")
	assert.Greater(t, int(slices.Max(delays[steady:])), stall/2, "the stall's backlog shows: %v", delays)
	assert.Equal(t, uint16(1), delays[len(delays)-1], "back at one tick within a second: %v", delays)
}

func toInts(xs []uint16) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x)
	}
	return out
}

// TestCatchUpAppliesBothInputs: a catch-up tick gives the Sim both of its
// inputs, in order, each as the client sent it (its seq for its shots, its
// view for lag compensation, its fire), and LastSeq is the later one.
func TestCatchUpAppliesBothInputs(t *testing.T) {
	cfg := testConfig(t)
	cfg.InputQueue = 16
	g := newJitterRig(t, cfg, newCounterSim(nil)(cfg.TickRate, 1))
	pressed := func(seq uint32) bool { return seq > 10 && seq%2 == 1 }
	g.input = func(seq uint32) netcode.Input {
		in := netcode.Input{Move: game.MoveRight, View: uint16(seq)}
		if pressed(seq) {
			in.Buttons = game.ButtonFire
		}
		return in
	}
	arrivals := concat(repeat(1, 10), repeat(0, 9), []int{10})
	g.run(arrivals, len(arrivals)+60)
	require.Positive(t, counterValue(t, g.r.m.inputCatchUps), "inputs must have been caught up")

	require.Len(t, g.sim.applied, int(g.seq), "every input applied once")
	for i, in := range g.sim.applied {
		seq := uint32(i + 1)
		assert.Equal(t, seq, in.Seq, "in order")
		assert.Equal(t, uint16(seq), in.View, "seq %d: its own view", seq)
		assert.Equal(t, pressed(seq), in.Buttons&game.ButtonFire != 0, "seq %d: its own fire", seq)
	}
	assert.Equal(t, g.seq, g.m.lastSeq, "LastSeq is the newest seq applied")
	assert.Equal(t, 9, g.sim.holds, "held through the stall")
}
