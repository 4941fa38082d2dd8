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

// TestSimRewindFromTheInput: the room's game judges a shot by what its
// input says the player saw: the ticks since its ack, plus its view, up to
// the game's cap.
func TestSimRewindFromTheInput(t *testing.T) {
	tests := []struct {
		name      string
		ackBehind uint32 // the ack, this many ticks before the sim's tick
		view      uint16
		want      float64
	}{
		{name: "the newest snapshot, drawn a tick and a half behind it", ackBehind: 0, view: 384, want: 2.5},
		{name: "an ack 3 ticks old, drawn at it", ackBehind: 3, view: 0, want: 4},
		{name: "far behind: capped", ackBehind: 20, view: 512, want: game.MaxRewind * 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			world := game.NewWorld(game.Config{Seed: 3, TickRate: 30})
			s := &worldSim{w: world}
			id := s.Join("ann")
			for range 30 {
				s.Step()
			}
			s.Input(id, netcode.Input{Seq: 7, Buttons: game.ButtonFire, Ack: s.Tick() - tt.ackBehind, View: tt.view})
			s.Step()
			require.Len(t, world.Projectiles(), 1)
			assert.Equal(t, tt.want, world.Projectiles()[0].Rewind)
			assert.Equal(t, uint32(7), world.Projectiles()[0].Seq)
		})
	}
}
