package engine

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// recordSim is a Sim that remembers every input the room gave it.
type recordSim struct {
	Sim
	applied []netcode.Input
	holds   int
}

func (s *recordSim) Input(id uint32, in netcode.Input) {
	s.applied = append(s.applied, in)
	s.Sim.Input(id, in)
}

func (s *recordSim) Hold(id uint32) {
	s.holds++
	s.Sim.Hold(id)
}

// jitterRig is a room driven by hand (no goroutine, no socket, its own
// clock) with one player whose inputs arrive when the test says.
type jitterRig struct {
	r      *room
	now    *time.Time
	p      *fakePeer
	m      *member
	sim    *recordSim
	seq    uint32
	input  func(seq uint32) netcode.Input // what the client sends as seq
	depths []int                          // queue depth each tick found
}

func newJitterRig(t *testing.T, cfg Config, sim Sim) *jitterRig {
	t.Helper()
	cfg = cfg.resolve()
	require.NoError(t, cfg.Validate())
	reg := newRegistry(context.Background(), cfg, testLogger(), newMetrics())
	rec := &recordSim{Sim: sim}
	g := &jitterRig{
		r:     newRoom("jitter", false, reg, rec),
		p:     &fakePeer{},
		sim:   rec,
		input: func(uint32) netcode.Input { return netcode.Input{Move: game.MoveRight} },
	}
	now := time.Unix(1000, 0)
	g.now = &now
	g.r.join(event{kind: evJoin, p: g.p, name: "p", token: "tp"})
	g.m = g.r.byToken["tp"]
	require.NotNil(t, g.m)
	return g
}

// deliver hands the room one input, as the connection's reader does.
func (g *jitterRig) deliver(in netcode.Input) {
	g.r.handle(event{kind: evInput, p: g.p, in: in}, *g.now)
}

// arrive delivers the client's next n inputs.
func (g *jitterRig) arrive(n int) {
	for range n {
		g.seq++
		in := g.input(g.seq)
		in.Seq = g.seq
		g.deliver(in)
	}
}

func (g *jitterRig) tick() {
	g.depths = append(g.depths, g.m.n)
	g.r.tickAt(g.now)
}

// run plays ticks ticks; before tick i, arrivals[i] inputs arrive (one past
// the end of arrivals).
func (g *jitterRig) run(arrivals []int, ticks int) {
	for i := range ticks {
		n := 1
		if i < len(arrivals) {
			n = arrivals[i]
		}
		g.arrive(n)
		g.tick()
	}
}

func histogramOf(t *testing.T, h prometheus.Metric) *dto.Histogram {
	t.Helper()
	var m dto.Metric
	require.NoError(t, h.Write(&m))
	require.NotNil(t, m.Histogram)
	return m.Histogram
}

// repeat is n copies of v.
func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func concat(parts ...[]int) []int {
	var out []int
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestJitterBuffer(t *testing.T) {
	const steady = 30 // ticks of one input a tick before anything happens
	tests := []struct {
		name       string
		inputQueue int   // 0: the default
		arrivals   []int // per tick; one a tick after them
		catchUps   int   // catch-up ticks expected
		dropped    int   // inputs dropped by a full queue
		back       int   // within this many ticks after the arrivals the depth is at the target for good
		onTime     bool  // every input applied on the first tick after it arrived
	}{
		{name: "steady one a tick stays at the target", arrivals: repeat(1, 120), onTime: true},
		{
			name:       "300 ms stall, 9 arriving at once, a queue of 8",
			inputQueue: 8,
			// The queue holds 8: the ninth pushes the oldest out.
			arrivals: concat(repeat(1, steady), repeat(0, 9), []int{9}),
			catchUps: 7, dropped: 1, back: 30,
		},
		{
			name:     "300 ms stall, held inputs and the next at once, the default queue",
			arrivals: concat(repeat(1, steady), repeat(0, 9), []int{10}),
			catchUps: 9, back: 30,
		},
		{
			name:     "a single burst drains by itself",
			arrivals: concat(repeat(1, steady), []int{3, 0, 0}),
		},
		{
			name: "a late input leaves a spare, cut after the spare window",
			// One input a tick late: the room repeats the last one once and
			// the queue holds one more from then on.
			arrivals: concat(repeat(1, steady), []int{0, 2}),
			catchUps: 1, back: 30,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			if tt.inputQueue > 0 {
				cfg.InputQueue = tt.inputQueue
			}
			g := newJitterRig(t, cfg, newCounterSim(nil)(cfg.TickRate, 1))
			target := g.m.jit.target
			require.Equal(t, DefaultInputDelay, target)
			ticks := len(tt.arrivals) + 60
			g.run(tt.arrivals, ticks)

			// From the last irregular arrival, the depth is back at the
			// target within tt.back ticks and stays there.
			last := len(tt.arrivals) - 1
			firstGood := steady
			for i := steady; i < ticks; i++ {
				if g.depths[i] != target {
					firstGood = i + 1
				}
			}
			assert.LessOrEqual(t, firstGood-last, tt.back, "depths %v", g.depths)
			for i := range steady {
				require.Equal(t, target, g.depths[i], "steady tick %d", i)
			}

			m := g.r.m
			assert.Equal(t, float64(tt.catchUps), counterValue(t, m.inputCatchUps), "catch-up ticks")
			assert.Equal(t, float64(tt.dropped), counterValue(t, m.inputsDropped), "dropped inputs")
			assert.Equal(t, g.seq, g.m.lastSeq, "every input was applied")
			assert.Equal(t, ticks-countZeros(g.depths)+tt.catchUps, len(g.sim.applied), "one input given to the Sim each tick that had any, two in a catch-up")
			assert.Equal(t, int(g.seq)-tt.dropped, len(g.sim.applied), "each input given to the Sim once")
			assert.Equal(t, countZeros(g.depths), g.sim.holds, "the player held on each tick that had none")

			h := histogramOf(t, m.inputDelay)
			assert.Equal(t, uint64(int(g.seq)-tt.dropped), h.GetSampleCount(), "one delay per input consumed")
			if tt.onTime {
				assert.Equal(t, float64(h.GetSampleCount()), h.GetSampleSum(), "every input waited exactly one tick")
			} else {
				assert.Greater(t, h.GetSampleSum(), float64(h.GetSampleCount()), "some inputs waited")
			}
		})
	}
}

func countZeros(xs []int) int {
	n := 0
	for _, x := range xs {
		if x == 0 {
			n++
		}
	}
	return n
}

// TestJitterBufferKeepsFire checks that a press of fire in an input that a
// catch-up merges, or that a full queue pushes out, is applied: the first
// input the Sim gets at or after the pressed seq holds fire.
func TestJitterBufferKeepsFire(t *testing.T) {
	tests := []struct {
		name       string
		inputQueue int
		arrivals   []int
		pressed    func(seq uint32) bool
	}{
		{
			name:       "taps merged by the catch-up",
			inputQueue: 16,
			arrivals:   concat(repeat(1, 10), repeat(0, 9), []int{10}),
			pressed:    func(seq uint32) bool { return seq > 10 && seq%3 == 0 },
		},
		{
			name:       "a tap pushed out of a full queue",
			inputQueue: 4,
			arrivals:   concat(repeat(1, 10), repeat(0, 9), []int{10}),
			pressed:    func(seq uint32) bool { return seq == 11 },
		},
		{
			name:     "fire held through the catch-up",
			arrivals: concat(repeat(1, 10), repeat(0, 9), []int{9}),
			pressed:  func(seq uint32) bool { return seq > 10 },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			if tt.inputQueue > 0 {
				cfg.InputQueue = tt.inputQueue
			}
			g := newJitterRig(t, cfg, newCounterSim(nil)(cfg.TickRate, 1))
			g.input = func(seq uint32) netcode.Input {
				in := netcode.Input{Move: game.MoveRight}
				if tt.pressed(seq) {
					in.Buttons = game.ButtonFire
				}
				return in
			}
			g.run(tt.arrivals, len(tt.arrivals)+60)
			require.Positive(t, counterValue(t, g.r.m.inputCatchUps)+counterValue(t, g.r.m.inputsDropped),
				"inputs must have been merged or pushed out for this test to mean anything")

			presses := 0
			for seq := uint32(1); seq <= g.seq; seq++ {
				if !tt.pressed(seq) {
					continue
				}
				presses++
				i := 0
				for i < len(g.sim.applied) && netcode.SeqNewer(seq, g.sim.applied[i].Seq) {
					i++
				}
				require.Less(t, i, len(g.sim.applied), "seq %d never applied", seq)
				assert.NotZero(t, g.sim.applied[i].Buttons&game.ButtonFire,
					"the press of seq %d is in the input applied as seq %d", seq, g.sim.applied[i].Seq)
			}
			require.Positive(t, presses)
		})
	}
}

// TestJitterBufferPrediction runs the client's predictor against a room of
// the real game (without drones, whose hits would move the player for
// reasons of their own) through a 600 ms stall of the client's inputs, as
// a TCP retransmit on a lossy 150 ms link makes (a 200 ms minimum RTO,
// doubled, and the round trip), steering all the while. With the default
// queue it never corrects: the stall's backlog fits, the player is held
// while its inputs are late and runs both inputs of each catch-up tick, so
// the server's player after each input is the prediction's, bit for bit.
func TestJitterBufferPrediction(t *testing.T) {
	cfg := testConfig(t)
	world := game.NewWorld(game.Config{Seed: 3, TickRate: cfg.TickRate, Width: 4000, Height: 4000})
	g := newJitterRig(t, cfg, &worldSim{w: world})
	w, h := g.r.sim.Size()
	pred := netcode.NewPredictor(1/float64(cfg.TickRate), game.Vec{X: w, Y: h})

	var ents []netcode.Entity
	server := func() game.Player {
		ents = g.r.sim.State(ents)
		i, ok := netcode.FindEntity(ents, g.m.id)
		require.True(t, ok)
		return netcode.PlayerFromEntity(ents[i])
	}
	reconcile := func() {
		ents = g.r.sim.State(ents)
		i, ok := netcode.FindEntity(ents, g.m.id)
		require.True(t, ok)
		require.True(t, pred.Reconcile(ents[i], g.m.lastSeq))
	}
	reconcile()

	// Steering: a new direction every 7 ticks, through the stall too.
	moves := []uint8{game.MoveRight, game.MoveDown | game.MoveLeft, game.MoveUp, game.MoveLeft | game.MoveUp, 0, game.MoveDown}
	inputAt := func(tick int) netcode.Input {
		return netcode.Input{Move: moves[(tick/7)%len(moves)], Aim: float32(tick) / 10}
	}
	const stallFrom, stallTicks = 60, 18
	var link []netcode.Input // sent, not yet delivered
	var corrections []uint64 // after each tick
	for tick := 0; tick < 180; tick++ {
		in := inputAt(tick)
		g.seq++
		in.Seq = g.seq
		pred.Predict(in.Seq, game.Input{Move: in.Move, Aim: float64(in.Aim), Buttons: in.Buttons})
		link = append(link, in)
		if tick < stallFrom || tick >= stallFrom+stallTicks {
			for _, l := range link {
				g.deliver(l)
			}
			link = link[:0]
		}
		g.tick()
		reconcile()
		corrections = append(corrections, pred.Corrections())
	}

	require.Positive(t, counterValue(t, g.r.m.inputCatchUps), "the stall's backlog must have been cut")
	back := stallFrom + stallTicks + 30 // at the target within a second
	for i := back; i < len(g.depths); i++ {
		require.Equal(t, g.m.jit.target, g.depths[i], "tick %d: depths %v", i, g.depths)
	}
	assert.Zero(t, corrections[len(corrections)-1], "no correction, through the stall and the catch-up (last %v)", pred.LastCorrection())
	p := server()
	assert.Equal(t, p.Pos, pred.Player().Pos)
	assert.Equal(t, p.Vel, pred.Player().Vel)
}
