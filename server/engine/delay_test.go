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

// TestCatchUpKeepsTheShotsSeq: when the catch-up merges two inputs, the one
// applied carries the later seq as LastSeq, and the earlier one's seq,
// ack and view when the earlier held fire, so the shot it fires is the one
// the client predicted on that input.
func TestCatchUpKeepsTheShotsSeq(t *testing.T) {
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
	require.Positive(t, counterValue(t, g.r.m.inputCatchUps), "inputs must have been merged")

	merged := 0
	for i := 1; i < len(g.sim.applied); i++ {
		in, prev := g.sim.applied[i], g.sim.applied[i-1]
		if in.Seq == prev.Seq+1 || in.Seq <= 10 {
			continue
		}
		merged++
		assert.True(t, pressed(in.Seq), "seq %d: a merge applies the earlier input's seq when it fired", in.Seq)
		assert.Equal(t, uint16(in.Seq), in.View, "and its view")
		assert.NotZero(t, in.Buttons&game.ButtonFire)
	}
	require.Positive(t, merged, "some merged input kept the earlier seq")
	assert.Equal(t, g.seq, g.m.lastSeq, "LastSeq is the newest seq consumed")
}
