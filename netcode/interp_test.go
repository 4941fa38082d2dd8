package netcode

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

var kitEpoch = time.Unix(1_700_000_000, 0)

func newKitInterp(t testing.TB, cfg InterpConfig) *Interpolator {
	t.Helper()
	ip, err := NewInterpolator(cfg)
	require.NoError(t, err)
	return ip
}

// kitEnt builds a wire entity at (x, y) world units moving at (vx, vy) units
// per second.
func kitEnt(id uint32, x, y, vx, vy float64, angle uint16) Entity {
	return Entity{
		ID: id, Kind: game.KindDrone,
		X: uint16(x * game.PosScale), Y: uint16(y * game.PosScale),
		VX: int16(vx * game.VelScale), VY: int16(vy * game.VelScale),
		Angle: angle,
	}
}

// kitTick is the client time a tick would arrive at with no latency.
func kitTick(tick uint32, rate int) time.Time {
	return kitEpoch.Add(time.Duration(tick) * time.Second / time.Duration(rate))
}

func byID(t *testing.T, out []Interpolated) map[uint32]Interpolated {
	t.Helper()
	m := make(map[uint32]Interpolated, len(out))
	for i, s := range out {
		if i > 0 {
			require.Less(t, out[i-1].E.ID, s.E.ID, "output sorted by ID")
		}
		m[s.E.ID] = s
	}
	return m
}

func TestInterpolatorLinear(t *testing.T) {
	ip := newKitInterp(t, InterpConfig{})
	require.True(t, ip.Push(10, []Entity{kitEnt(1, 100, 50, 30, 0, 1000)}, kitTick(10, 30)))
	require.True(t, ip.Push(12, []Entity{kitEnt(1, 200, 70, 60, -30, 3000)}, kitTick(12, 30)))
	for _, c := range []struct {
		name string
		rt   float64
		f    float64
	}{
		{"at the older state", 10, 0},
		{"a quarter", 10.5, 0.25},
		{"half", 11, 0.5},
		{"three quarters", 11.5, 0.75},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := ip.SampleTick(c.rt)
			require.Len(t, out, 1)
			s := out[0]
			assert.InDelta(t, 100+c.f*100, s.Pos.X, 1e-9)
			assert.InDelta(t, 50+c.f*20, s.Pos.Y, 1e-9)
			assert.InDelta(t, 30+c.f*30, s.Vel.X, 1e-9)
			assert.InDelta(t, -c.f*30, s.Vel.Y, 1e-9)
			assert.InDelta(t, (1000+c.f*2000)*2*math.Pi/game.AngleSteps, s.Aim, 1e-9)
			assert.Equal(t, uint32(1), s.E.ID)
		})
	}
}

func TestInterpolatorAngleWraparound(t *testing.T) {
	for _, c := range []struct {
		name     string
		from, to uint16
		f        float64
		want     float64 // steps
	}{
		{"up across zero", 65000, 500, 0.5, 65518},
		{"down across zero", 500, 65000, 0.5, 65518},
		{"up across zero, most of the way", 65436, 100, 0.75, 50},
		{"no wrap", 100, 300, 0.5, 200},
		{"almost half a turn", 0, 32767, 0.5, 16383.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			ip := newKitInterp(t, InterpConfig{})
			ip.Push(1, []Entity{kitEnt(1, 10, 10, 0, 0, c.from)}, kitTick(1, 30))
			ip.Push(2, []Entity{kitEnt(1, 10, 10, 0, 0, c.to)}, kitTick(2, 30))
			out := ip.SampleTick(1 + c.f)
			require.Len(t, out, 1)
			assert.InDelta(t, c.want*2*math.Pi/game.AngleSteps, out[0].Aim, 1e-9)
			assert.GreaterOrEqual(t, out[0].Aim, 0.0)
			assert.Less(t, out[0].Aim, 2*math.Pi)
		})
	}
}

func TestInterpolatorAppearDisappear(t *testing.T) {
	ip := newKitInterp(t, InterpConfig{})
	ip.Push(1, []Entity{kitEnt(1, 10, 10, 0, 0, 0), kitEnt(2, 20, 20, 0, 0, 0), kitEnt(4, 40, 40, 0, 0, 0), kitEnt(5, 50, 50, 0, 0, 0)}, kitTick(1, 30))
	ip.Push(2, []Entity{kitEnt(2, 30, 20, 0, 0, 0), kitEnt(3, 33, 33, 0, 0, 0), kitEnt(4, 40, 60, 0, 0, 0), kitEnt(5, 3000, 50, 0, 0, 0)}, kitTick(2, 30))
	got := byID(t, ip.SampleTick(1.25))
	for _, c := range []struct {
		name    string
		id      uint32
		present bool
		pos     game.Vec
	}{
		{"gone in the newer state", 1, false, game.Vec{}},
		{"in both: interpolated", 2, true, game.Vec{X: 22.5, Y: 20}},
		{"new in the newer state: as it is there", 3, true, game.Vec{X: 33, Y: 33}},
		{"in both: interpolated on y", 4, true, game.Vec{X: 40, Y: 45}},
		{"teleported: jumps instead of sliding", 5, true, game.Vec{X: 3000, Y: 50}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, ok := got[c.id]
			require.Equal(t, c.present, ok)
			if ok {
				assert.InDelta(t, c.pos.X, s.Pos.X, 1e-9)
				assert.InDelta(t, c.pos.Y, s.Pos.Y, 1e-9)
			}
		})
	}
}

func TestInterpolatorGap(t *testing.T) {
	ip := newKitInterp(t, InterpConfig{}) // MaxExtrapolate 250 ms
	ip.Push(10, []Entity{kitEnt(1, 97, 50, 30, -15, 7)}, kitTick(10, 30))
	ip.Push(11, []Entity{kitEnt(1, 100, 50, 30, -15, 7)}, kitTick(11, 30))
	for _, c := range []struct {
		name string
		rt   float64
		pos  game.Vec
	}{
		{"before the oldest: hold it", 5, game.Vec{X: 97, Y: 50}},
		{"at the newest", 11, game.Vec{X: 100, Y: 50}},
		{"100 ms past: extrapolated", 14, game.Vec{X: 103, Y: 48.5}},
		{"250 ms past: the cap", 18.5, game.Vec{X: 107.5, Y: 46.25}},
		{"1 s past: held at the cap", 41, game.Vec{X: 107.5, Y: 46.25}},
		{"10 s past: still held", 311, game.Vec{X: 107.5, Y: 46.25}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := ip.SampleTick(c.rt)
			require.Len(t, out, 1)
			assert.InDelta(t, c.pos.X, out[0].Pos.X, 1e-9)
			assert.InDelta(t, c.pos.Y, out[0].Pos.Y, 1e-9)
			assert.Equal(t, uint16(7), out[0].E.Angle)
		})
	}
}

// TestInterpolatorGapWithoutVelocity: others' velocity is not on the wire
// (PROTOCOL.md 5.2), so in a gap an entity moves on what its last two
// positions imply, and between states it is drawn with that velocity.
func TestInterpolatorGapWithoutVelocity(t *testing.T) {
	ip := newKitInterp(t, InterpConfig{}) // MaxExtrapolate 250 ms
	ip.Push(9, []Entity{kitEnt(1, 90, 10, 0, 0, 0), kitEnt(2, 5, 5, 0, 0, 0), kitEnt(3, 10, 10, 0, 0, 0)}, kitTick(9, 30))
	// 1 moves 30 units/s right and 15 up over two ticks; 2 stands still;
	// 3 jumps (teleport); 4 is new.
	ip.Push(11, []Entity{kitEnt(1, 92, 9, 0, 0, 0), kitEnt(2, 5, 5, 0, 0, 0), kitEnt(3, 1000, 10, 0, 0, 0), kitEnt(4, 40, 40, 0, 0, 0)}, kitTick(11, 30))
	for _, c := range []struct {
		name string
		rt   float64
		id   uint32
		pos  game.Vec
		vel  game.Vec
	}{
		{"between states: velocity from positions", 10, 1, game.Vec{X: 91, Y: 9.5}, game.Vec{X: 30, Y: -15}},
		{"100 ms past: extrapolated on the implied velocity", 14, 1, game.Vec{X: 95, Y: 7.5}, game.Vec{X: 30, Y: -15}},
		{"1 s past: held at the cap", 41, 1, game.Vec{X: 99.5, Y: 5.25}, game.Vec{X: 30, Y: -15}},
		{"standing still stays put", 14, 2, game.Vec{X: 5, Y: 5}, game.Vec{}},
		{"a jump is not extrapolated", 14, 3, game.Vec{X: 1000, Y: 10}, game.Vec{}},
		{"new in the newest: held", 14, 4, game.Vec{X: 40, Y: 40}, game.Vec{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, ok := byID(t, ip.SampleTick(c.rt))[c.id]
			require.True(t, ok)
			assert.InDelta(t, c.pos.X, s.Pos.X, 1e-9)
			assert.InDelta(t, c.pos.Y, s.Pos.Y, 1e-9)
			assert.InDelta(t, c.vel.X, s.Vel.X, 1e-9)
			assert.InDelta(t, c.vel.Y, s.Vel.Y, 1e-9)
		})
	}
}

func TestInterpolatorBuffer(t *testing.T) {
	ip := newKitInterp(t, InterpConfig{Capacity: 8})
	assert.Empty(t, ip.SampleTick(3))
	_, ok := ip.Newest()
	assert.False(t, ok)
	ents := []Entity{kitEnt(1, 1, 1, 0, 0, 0)}
	for tick := uint32(1); tick <= 20; tick++ {
		ents[0].X = uint16(tick * game.PosScale)
		require.True(t, ip.Push(tick, ents, kitTick(tick, 30)))
	}
	ents[0].X = 999 // Push copied
	assert.Equal(t, 8, ip.Len())
	newest, ok := ip.Newest()
	require.True(t, ok)
	assert.Equal(t, uint32(20), newest)

	t.Run("duplicate ignored", func(t *testing.T) {
		assert.False(t, ip.Push(20, ents, kitTick(21, 30)))
	})
	t.Run("older ignored", func(t *testing.T) {
		assert.False(t, ip.Push(15, ents, kitTick(21, 30)))
	})
	t.Run("input copied", func(t *testing.T) {
		assert.Equal(t, 19.5, ip.SampleTick(19.5)[0].Pos.X)
	})
	t.Run("oldest dropped", func(t *testing.T) {
		assert.Equal(t, 13.0, ip.SampleTick(1)[0].Pos.X, "holds the oldest kept, tick 13")
	})
	t.Run("reset", func(t *testing.T) {
		ip.Reset()
		assert.Zero(t, ip.Len())
		assert.True(t, ip.Push(2, ents, kitTick(40, 30)), "a new session may start at any tick")
	})
}

// TestInterpolatorDelayAdapts feeds calm, then jittery, then calm arrivals and
// checks the delay follows the jitter: up quickly, down slowly, never in a
// jump.
func TestInterpolatorDelayAdapts(t *testing.T) {
	cfg := InterpConfig{TickRate: 30, SnapshotRate: 30}
	ip := newKitInterp(t, cfg)
	interval := time.Second / 30
	base := 2 * interval
	rng := rand.New(rand.NewPCG(4, 4))
	tick := uint32(100)
	prevArrival := kitEpoch
	prevRT := math.NaN()
	// push delivers the next snapshot after latency and checks that the
	// render time did not jump at the arrival and, since the one before, ran
	// no slower or faster than the delay's slew allows.
	push := func(latency time.Duration) {
		tick++
		arrival := kitTick(tick, 30).Add(latency)
		if arrival.Before(prevArrival) { // a TCP stream delivers in order
			arrival = prevArrival
		}
		before := ip.RenderTick(arrival)
		require.True(t, ip.Push(tick, []Entity{kitEnt(1, 5, 5, 0, 0, 0)}, arrival))
		rt := ip.RenderTick(arrival)
		if !math.IsNaN(prevRT) { // the first arrival starts the clock
			require.InDelta(t, before, rt, 1e-9, "tick %d: the render time jumped", tick)
			elapsed := arrival.Sub(prevArrival).Seconds() * 30
			require.GreaterOrEqual(t, rt-prevRT, (1-DefaultDelayGrowRate)*elapsed-1e-9, "tick %d", tick)
			require.LessOrEqual(t, rt-prevRT, (1+DefaultDelayShrinkRate)*elapsed+1e-9, "tick %d", tick)
		}
		prevArrival, prevRT = arrival, rt
	}

	var calm, peak time.Duration
	t.Run("calm: two intervals", func(t *testing.T) {
		for range 100 {
			push(50 * time.Millisecond)
		}
		assert.InDelta(t, 0, ip.Jitter().Seconds(), 1e-6)
		assert.InDelta(t, base.Seconds(), ip.Delay().Seconds(), 1e-6)
		calm = ip.Delay()
	})
	t.Run("jitter grows the delay", func(t *testing.T) {
		for range 100 {
			push(50*time.Millisecond + time.Duration(rng.Int64N(int64(60*time.Millisecond))))
		}
		assert.Greater(t, ip.Jitter(), 15*time.Millisecond)
		assert.Greater(t, ip.Delay(), calm+30*time.Millisecond)
		assert.LessOrEqual(t, ip.Delay(), DefaultMaxDelay)
		peak = ip.Delay()
	})
	t.Run("calm shrinks it back slowly", func(t *testing.T) {
		for i := range 300 {
			before := ip.Delay()
			push(50 * time.Millisecond)
			if i >= 4 { // the first calm arrivals bunch up behind the last late one
				require.LessOrEqual(t, ip.Delay(), before)
			}
			if i == 9 {
				assert.Greater(t, ip.Delay(), (calm+peak)/2, "a third of a second of calm is not trusted yet")
			}
		}
		assert.Less(t, ip.Jitter(), time.Millisecond)
		assert.InDelta(t, base.Seconds(), ip.Delay().Seconds(), 0.002)
	})
}

// TestInterpolatorRenderClock plays snapshots of an entity moving at constant
// speed through a lossy link and draws frames at 60 Hz in between: every frame
// interpolates between states it holds (no extrapolation), and the render
// time advances smoothly at real-time speed.
func TestInterpolatorRenderClock(t *testing.T) {
	for _, c := range []struct {
		name             string
		tickRate, snapHz int
		latency, jitter  time.Duration
	}{
		{"30 Hz snapshots, 40 ms, 10 ms jitter", 30, 30, 40 * time.Millisecond, 10 * time.Millisecond},
		{"60 Hz ticks, 20 Hz snapshots, 100 ms, 30 ms jitter", 60, 20, 100 * time.Millisecond, 30 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			ip := newKitInterp(t, InterpConfig{TickRate: c.tickRate, SnapshotRate: c.snapHz})
			rng := rand.New(rand.NewPCG(5, uint64(c.snapHz)))
			step := uint32(c.tickRate / c.snapHz)
			x := func(tick float64) float64 { return 100 + tick*0.5 }
			type arrival struct {
				tick uint32
				at   time.Time
			}
			var arrivals []arrival
			for tick := uint32(0); tick < uint32(20*c.tickRate); tick += step {
				arrivals = append(arrivals, arrival{tick, kitTick(tick, c.tickRate).Add(c.latency + time.Duration(rng.Int64N(int64(c.jitter))))})
			}
			frame := time.Second / 60
			prevRT, frames, extrapolated := math.NaN(), 0, 0
			for now := kitEpoch.Add(time.Second); now.Before(arrivals[len(arrivals)-1].at); now = now.Add(frame) {
				for len(arrivals) > 0 && !arrivals[0].at.After(now) {
					a := arrivals[0]
					// On a TCP stream a late snapshot holds up the ones after it.
					ip.Push(a.tick, []Entity{kitEnt(9, x(float64(a.tick)), 10, 0.5*float64(c.tickRate), 0, 0)}, a.at)
					arrivals = arrivals[1:]
				}
				rt := ip.RenderTick(now)
				out := ip.Sample(now)
				require.Len(t, out, 1)
				assert.InDelta(t, x(rt), out[0].Pos.X, 1.0/game.PosScale)
				if newest, _ := ip.Newest(); rt > float64(newest) {
					extrapolated++
				}
				perFrame := frame.Seconds() * float64(c.tickRate)
				if !math.IsNaN(prevRT) {
					// The render clock runs at most 25% slow while the delay
					// grows; the lateness estimate nudges it a few percent.
					require.InDelta(t, 0.95*perFrame, rt-prevRT, 0.35*perFrame, "render time advances at about real-time speed")
				}
				prevRT = rt
				frames++
			}
			require.Greater(t, frames, 1000)
			assert.Zero(t, extrapolated, "delay %v jitter %v", ip.Delay(), ip.Jitter())
		})
	}
}

func TestInterpolatorConfig(t *testing.T) {
	def := DefaultInterpConfig()
	require.NoError(t, def.Validate())
	assert.Equal(t, game.DefaultTickRate, def.SnapshotRate)
	for _, c := range []struct {
		name string
		cfg  InterpConfig
	}{
		{"negative tick rate", InterpConfig{TickRate: -1}},
		{"snapshots faster than ticks", InterpConfig{TickRate: 30, SnapshotRate: 60}},
		{"capacity one", InterpConfig{Capacity: 1}},
		{"inverted delay bounds", InterpConfig{MinDelay: time.Second, MaxDelay: time.Millisecond}},
		{"shrink rate of one", InterpConfig{DelayShrinkRate: 1}},
		{"grow rate of two: the render clock would run backwards", InterpConfig{DelayGrowRate: 2}},
		{"negative stall decay: one stall would hold the delay up for good", InterpConfig{StallDecay: -0.001}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewInterpolator(c.cfg)
			assert.Error(t, err)
		})
	}
}

func kitCrowd(n int, tick uint32) []Entity {
	ents := make([]Entity, n)
	for i := range ents {
		f := float64(i)
		ents[i] = kitEnt(uint32(i+1), 100+f*10+float64(tick), 200+f*5, 30, 0, uint16(i*600+int(tick)*100))
	}
	return ents
}

func TestInterpolatorSampleAllocs(t *testing.T) {
	ip := newKitInterp(t, InterpConfig{})
	for tick := uint32(1); tick <= 80; tick++ {
		ip.Push(tick, kitCrowd(100, tick), kitTick(tick, 30))
	}
	now := kitTick(80, 30)
	ip.Sample(now)
	allocs := testing.AllocsPerRun(100, func() {
		now = now.Add(time.Millisecond)
		ip.Sample(now)
		ip.SampleTick(70.5)
	})
	assert.Zero(t, allocs)
	pushAllocs := testing.AllocsPerRun(100, func() {
		ip.Push(ip.newest().tick+1, ip.newest().entities, now)
	})
	assert.Zero(t, pushAllocs, "a full ring reuses its slots")
}

func BenchmarkInterpolatorSample(b *testing.B) {
	ip := newKitInterp(b, InterpConfig{})
	for tick := uint32(1); tick <= 10; tick++ {
		ip.Push(tick, kitCrowd(100, tick), kitTick(tick, 30))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		// Sweep the render time across the buffer, through the interpolation
		// path mostly and the gap path at the end.
		ip.Sample(kitTick(uint32(i%12), 30).Add(100 * time.Millisecond))
		i++
	}
}

func BenchmarkInterpolatorPush(b *testing.B) {
	ip := newKitInterp(b, InterpConfig{})
	crowd := kitCrowd(100, 0)
	b.ReportAllocs()
	tick := uint32(0)
	for b.Loop() {
		tick++
		ip.Push(tick, crowd, kitTick(tick, 30))
	}
}
