package netcode

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

// kitWire quantizes a player as the server puts it on the wire.
func kitWire(p game.Player) Entity { return playerEntity(&p) }

func newKitPredictor(t testing.TB, size game.Vec) *Predictor {
	t.Helper()
	p, err := NewPredictorWithConfig(PredictorConfig{Dt: 1.0 / 30, Size: size})
	require.NoError(t, err)
	return p
}

// kitAuthority is the server side of the prediction tests. It applies the
// client's inputs in lockstep, one per tick as they arrive: inputs never run
// late here, so it never has to repeat one and must agree with the
// prediction.
type kitAuthority interface {
	// apply runs one tick with the input seq as the client sent it.
	apply(seq uint32, in game.Input)
	// state is the player as the wire carries it, and the newest seq applied.
	state() (Entity, uint32)
}

// kitServer owns just the player and moves it with game.MovePlayer.
type kitServer struct {
	player  game.Player
	dt      float64
	size    game.Vec
	lastSeq uint32
	pushAt  uint32   // seq after which the server shoves the player (0: never)
	push    game.Vec // the shove
}

func (s *kitServer) apply(seq uint32, in game.Input) {
	in.Aim = float64(float32(in.Aim)) // the wire's precision
	game.MovePlayer(&s.player, in, s.dt, s.size)
	if seq == s.pushAt {
		s.player.Pos.X += s.push.X
		s.player.Pos.Y += s.push.Y
	}
	s.lastSeq = seq
}

func (s *kitServer) state() (Entity, uint32) { return kitWire(s.player), s.lastSeq }

// kitWorldServer runs a whole game.World, as a room does, and captures the
// player with CaptureWorld.
type kitWorldServer struct {
	w       *game.World
	id      game.EntityID
	lastSeq uint32
	buf     []Entity
}

func newKitWorldServer(size game.Vec, score int) *kitWorldServer {
	w := game.NewWorld(game.Config{Seed: 9, TickRate: 30, Width: size.X, Height: size.Y, Pellets: 30})
	s := &kitWorldServer{w: w, id: w.AddPlayer("me")}
	p, _ := w.Player(s.id)
	p.Score = score
	return s
}

func (s *kitWorldServer) apply(seq uint32, in game.Input) {
	in.Aim = float64(float32(in.Aim))
	s.w.Step([]game.PlayerInput{{ID: s.id, Input: in}})
	s.lastSeq = seq
}

func (s *kitWorldServer) state() (Entity, uint32) {
	s.buf = CaptureWorld(s.buf, s.w)
	i, ok := FindEntity(s.buf, uint32(s.id))
	if !ok {
		panic("player missing from the world")
	}
	return s.buf[i], s.lastSeq
}

type kitSent struct {
	due int
	seq uint32
	in  game.Input
}

type kitUpdate struct {
	due     int
	e       Entity
	lastSeq uint32
}

// kitInputs varies the controls the way a player does: held for a while,
// diagonals, firing, an aim that sweeps past ±π and is not on the angle grid.
func kitInputs(rng *rand.Rand, n int) []game.Input {
	out := make([]game.Input, 0, n)
	for len(out) < n {
		in := game.Input{
			Move:    uint8(rng.IntN(16)),
			Aim:     (rng.Float64()*2 - 1) * 2 * math.Pi,
			Buttons: uint8(rng.IntN(2)),
		}
		for hold := 1 + rng.IntN(20); hold > 0 && len(out) < n; hold-- {
			out = append(out, in)
			in.Aim += 0.01
		}
	}
	return out
}

func TestPredictorLatencyNoCorrections(t *testing.T) {
	size := game.Vec{X: 400, Y: 300} // small: walls are hit often
	servers := []struct {
		name string
		new  func() kitAuthority
	}{
		{"MovePlayer", func() kitAuthority {
			return &kitServer{dt: 1.0 / 30, size: size,
				player: game.Player{ID: 7, Name: "me", Pos: game.Vec{X: 200, Y: 150}, HP: 100}}
		}},
		{"MovePlayer at the speed level", func() kitAuthority {
			return &kitServer{dt: 1.0 / 30, size: size,
				player: game.Player{ID: 7, Name: "me", Pos: game.Vec{X: 200, Y: 150}, HP: 100, Score: game.LevelScore(3)}}
		}},
		{"World", func() kitAuthority { return newKitWorldServer(size, 0) }},
		// Pellets picked up on the way raise the score, but no level past 3
		// raises the speed again: the prediction stays exact.
		{"World at the speed level", func() kitAuthority { return newKitWorldServer(size, game.LevelScore(3)) }},
	}
	for _, sv := range servers {
		for _, latency := range []int{0, 1, 3, 10, 30} {
			t.Run(fmt.Sprintf("%s/latency %d ticks", sv.name, latency), func(t *testing.T) {
				const ticks = 600
				pred := newKitPredictor(t, size)
				srv := sv.new()
				require.True(t, pred.Reconcile(srv.state()))

				inputs := kitInputs(rand.New(rand.NewPCG(1, uint64(latency))), ticks)
				var up []kitSent
				var down []kitUpdate
				moves, maxPending := 0, 0
				for tick := 1; tick <= ticks+2*latency+2; tick++ {
					for len(down) > 0 && down[0].due <= tick {
						require.True(t, pred.Reconcile(down[0].e, down[0].lastSeq))
						down = down[1:]
					}
					if tick <= ticks {
						in := inputs[tick-1]
						pred.Predict(uint32(tick), in)
						up = append(up, kitSent{due: tick + latency, seq: uint32(tick), in: in})
					}
					maxPending = max(maxPending, pred.Pending())
					if len(up) > 0 && up[0].due <= tick {
						before, _ := srv.state()
						srv.apply(up[0].seq, up[0].in)
						if after, _ := srv.state(); after.Pos() != before.Pos() {
							moves++
						}
						up = up[1:]
					}
					e, lastSeq := srv.state()
					down = append(down, kitUpdate{due: tick + latency, e: e, lastSeq: lastSeq})
					pred.RenderPos(time.Second / 60)
				}

				require.Greater(t, moves, ticks/2, "the server player must actually move for this test to mean anything")
				assert.Zero(t, pred.Corrections(), "last correction %v", pred.LastCorrection())
				assert.Zero(t, pred.Pending())
				assert.Equal(t, max(1, 2*latency), maxPending, "inputs in flight for a round trip")
				final, _ := srv.state()
				assert.Equal(t, final, kitWire(pred.Player()))
				assert.Equal(t, final.Pos(), pred.RenderPos(time.Second/60))
			})
		}
	}
}

func TestReconcileOutOfOrder(t *testing.T) {
	for _, c := range []struct {
		name    string
		spread  int // snapshots arrive 0..spread ticks late, shuffling their order
		latency int
	}{
		{"mild shuffle", 3, 2},
		{"heavy shuffle", 12, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			const ticks = 500
			size := game.Vec{X: 400, Y: 300}
			rng := rand.New(rand.NewPCG(2, uint64(c.spread)))
			pred := newKitPredictor(t, size)
			srv := &kitServer{dt: 1.0 / 30, size: size,
				player: game.Player{ID: 3, Pos: game.Vec{X: 50, Y: 50}, HP: 100}}
			require.True(t, pred.Reconcile(kitWire(srv.player), 0))

			inputs := kitInputs(rng, ticks)
			inbox := map[int][]kitUpdate{}
			stale, applied := 0, 0
			for tick := 1; tick <= ticks+c.latency+c.spread+1; tick++ {
				for _, u := range inbox[tick] {
					if pred.Reconcile(u.e, u.lastSeq) {
						applied++
					} else {
						stale++
					}
				}
				if tick <= ticks {
					pred.Predict(uint32(tick), inputs[tick-1])
					srv.apply(uint32(tick), inputs[tick-1])
					due := tick + c.latency + rng.IntN(c.spread+1)
					inbox[due] = append(inbox[due], kitUpdate{e: kitWire(srv.player), lastSeq: srv.lastSeq})
				}
			}

			require.Positive(t, stale, "the shuffle must deliver some stale updates")
			assert.Equal(t, ticks, stale+applied)
			assert.Zero(t, pred.Corrections())
			assert.Zero(t, pred.Pending())
			acked, synced := pred.Acked()
			assert.True(t, synced)
			assert.Equal(t, uint32(ticks), acked)
			assert.Equal(t, kitWire(srv.player), kitWire(pred.Player()))
		})
	}
}

func TestReconcileCorrection(t *testing.T) {
	const frame = 16 * time.Millisecond
	for _, c := range []struct {
		name string
		push game.Vec
		snap bool
	}{
		{"small push glides", game.Vec{X: 12, Y: -5}, false},
		{"large push under the snap distance glides", game.Vec{X: 0, Y: 150}, false},
		{"teleport snaps", game.Vec{X: 500, Y: 300}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			size := game.Vec{X: 4000, Y: 4000}
			pred := newKitPredictor(t, size)
			srv := &kitServer{dt: 1.0 / 30, size: size, pushAt: 3, push: c.push,
				player: game.Player{ID: 1, Pos: game.Vec{X: 1000, Y: 1000}, HP: 100}}
			require.True(t, pred.Reconcile(kitWire(srv.player), 0))
			require.Zero(t, pred.Corrections(), "the first server state is not a correction")

			in := game.Input{Move: game.MoveRight}
			for seq := uint32(1); seq <= 5; seq++ {
				pred.Predict(seq, in)
				if seq <= 3 {
					srv.apply(seq, in)
				}
			}
			before := pred.Player().Pos
			require.True(t, pred.Reconcile(kitWire(srv.player), 3))
			require.Equal(t, uint64(1), pred.Corrections())
			after := pred.Player().Pos
			assert.InDelta(t, math.Hypot(c.push.X, c.push.Y), pred.LastCorrection(), 1e-9)
			assert.InDelta(t, c.push.X, after.X-before.X, 1e-9)
			assert.InDelta(t, c.push.Y, after.Y-before.Y, 1e-9)

			if c.snap {
				assert.Equal(t, game.Vec{}, pred.Offset())
				assert.Equal(t, after, pred.RenderPos(frame))
				return
			}
			// The player is drawn where it was and glides to the correction.
			assert.InDelta(t, -c.push.X, pred.Offset().X, 1e-9)
			assert.InDelta(t, -c.push.Y, pred.Offset().Y, 1e-9)
			size0 := math.Hypot(c.push.X, c.push.Y)
			prev := size0
			for f := 1; f <= 100; f++ {
				r := pred.RenderPos(frame)
				off := math.Hypot(r.X-after.X, r.Y-after.Y)
				if f == 1 {
					assert.Greater(t, off, 0.8*size0, "no snap on the first frame")
				}
				if f == 19 { // ~300 ms
					assert.Less(t, off, 0.06*size0)
				}
				if prev > 0 {
					assert.Less(t, off, prev, "frame %d", f)
				} else {
					assert.Zero(t, off, "frame %d", f)
				}
				prev = off
			}
			assert.Equal(t, after, pred.RenderPos(frame), "the offset comes to rest at exactly zero")
		})
	}
}

func TestPredictorBookkeeping(t *testing.T) {
	t.Run("history is bounded", func(t *testing.T) {
		p, err := NewPredictorWithConfig(PredictorConfig{Dt: 1.0 / 30, Size: game.Vec{X: 100, Y: 100}, History: 4})
		require.NoError(t, err)
		for seq := uint32(1); seq <= 10; seq++ {
			p.Predict(seq, game.Input{})
		}
		assert.Equal(t, 4, p.Pending())
	})
	t.Run("old or repeated seqs are not predicted", func(t *testing.T) {
		p := newKitPredictor(t, game.Vec{X: 100, Y: 100})
		p.Predict(5, game.Input{Move: game.MoveRight})
		p.Predict(5, game.Input{Move: game.MoveRight})
		p.Predict(4, game.Input{Move: game.MoveRight})
		assert.Equal(t, 1, p.Pending())
		require.True(t, p.Reconcile(Entity{ID: 1, X: 50 * game.PosScale, Y: 50 * game.PosScale}, 9))
		p.Predict(8, game.Input{})
		assert.Zero(t, p.Pending(), "the server already applied seq 8")
		p.Predict(10, game.Input{})
		assert.Equal(t, 1, p.Pending())
	})
	t.Run("stale update is ignored", func(t *testing.T) {
		p := newKitPredictor(t, game.Vec{X: 100, Y: 100})
		require.True(t, p.Reconcile(Entity{X: 10 * game.PosScale}, 4))
		assert.False(t, p.Reconcile(Entity{X: 90 * game.PosScale}, 3))
		assert.Equal(t, 10.0, p.Player().Pos.X)
		assert.True(t, p.Reconcile(Entity{X: 20 * game.PosScale}, 4), "same seq: the server may have moved on")
		assert.Equal(t, 20.0, p.Player().Pos.X)
	})
	t.Run("reset forgets the session", func(t *testing.T) {
		p := newKitPredictor(t, game.Vec{X: 100, Y: 100})
		require.True(t, p.Reconcile(Entity{X: 10 * game.PosScale}, 40))
		p.Reset()
		_, synced := p.Acked()
		assert.False(t, synced)
		assert.True(t, p.Reconcile(Entity{X: 20 * game.PosScale}, 1))
		assert.Zero(t, p.Corrections())
	})
	t.Run("config validation", func(t *testing.T) {
		for _, cfg := range []PredictorConfig{
			{Dt: 0, Size: game.Vec{X: 1, Y: 1}},
			{Dt: math.NaN(), Size: game.Vec{X: 1, Y: 1}},
			{Dt: 0.1, Size: game.Vec{X: 0, Y: 1}},
			{Dt: 0.1, Size: game.Vec{X: 1, Y: 1}, History: -1},
			{Dt: 0.1, Size: game.Vec{X: 1, Y: 1}, Smoothing: -time.Second},
		} {
			_, err := NewPredictorWithConfig(cfg)
			assert.Error(t, err, "%+v", cfg)
		}
	})
}

func BenchmarkPredictorReconcile(b *testing.B) {
	size := game.Vec{X: 4000, Y: 4000}
	p := newKitPredictor(b, size)
	srv := game.Player{ID: 1, Pos: game.Vec{X: 2000, Y: 2000}}
	p.Reconcile(kitWire(srv), 0)
	inputs := kitInputs(rand.New(rand.NewPCG(3, 3)), 1024)
	b.ReportAllocs()
	seq := uint32(0)
	for b.Loop() {
		seq++
		p.Predict(seq, inputs[seq%1024])
		if seq > 6 { // six ticks of round trip to replay
			game.MovePlayer(&srv, inputs[(seq-6)%1024], 1.0/30, size)
			p.Reconcile(kitWire(srv), seq-6)
		}
	}
}

// TestReconcileDeathAndRespawn: a server state that brings a death (the ship
// stops where it was hit, behind the prediction) or a respawn (elsewhere) is
// not a misprediction: it moves the player as any correction does, but is
// counted apart.
func TestReconcileDeathAndRespawn(t *testing.T) {
	size := game.Vec{X: 4000, Y: 4000}
	for _, c := range []struct {
		name   string
		dead   bool                 // the player is dead from the start
		server func(p *game.Player) // the server's player after input 3
		moved  bool                 // the predicted player is moved
		life   bool                 // a death or respawn, not a correction
	}{
		{"a push is a correction", false, func(p *game.Player) { p.Pos.X += 12 }, true, false},
		{"a death where it was hit", false, func(p *game.Player) { p.Pos.X -= 20; p.Vel, p.HP, p.Respawn = game.Vec{}, 0, 90 }, true, true},
		{"a respawn elsewhere", true, func(p *game.Player) {
			p.Pos, p.Vel, p.HP, p.Respawn = game.Vec{X: 3000, Y: 500}, game.Vec{}, game.MaxHP, 0
		}, true, true},
		{"still dead, counting down", true, func(p *game.Player) { p.Respawn = 50 }, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			pred := newKitPredictor(t, size)
			srv := &kitServer{dt: 1.0 / 30, size: size, player: game.Player{ID: 1, Pos: game.Vec{X: 1000, Y: 1000}, HP: 100}}
			if c.dead {
				srv.player.HP, srv.player.Respawn = 0, 60
			}
			require.True(t, pred.Reconcile(kitWire(srv.player), 0))
			in := game.Input{Move: game.MoveRight}
			for seq := uint32(1); seq <= 5; seq++ {
				pred.Predict(seq, in)
				if seq <= 3 {
					srv.apply(seq, in)
				}
			}
			c.server(&srv.player)
			before := pred.Player().Pos
			require.True(t, pred.Reconcile(kitWire(srv.player), 3))
			assert.Equal(t, c.moved, pred.Player().Pos != before, "the player moved by the server's state")
			want := uint64(0)
			if c.moved && !c.life {
				want = 1
			}
			assert.Equal(t, want, pred.Corrections(), "corrections")
			want = 0
			if c.life {
				want = 1
			}
			assert.Equal(t, want, pred.LifeCorrections(), "deaths and respawns")
		})
	}
}
