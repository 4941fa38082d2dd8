package netcode

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stallRate is the tick and snapshot rate of the stall schedules.
const stallRate = 30

type stallArrival struct {
	tick uint32
	at   time.Time
}

// stallLink describes a TCP stream as 2% loss makes it look: a steady one-way
// latency with a little jitter, and now and then a retransmit that holds the
// stream, after which everything held arrives at once, in order.
type stallLink struct {
	latency, jitter time.Duration
	first, every    time.Duration // first stall starts at first (server time), then one every every
	stall           time.Duration // how long each holds the stream
	stalls          int           // how many; 0 for none
}

// schedule is when each snapshot of the first dur of server time arrives.
func (l stallLink) schedule(dur time.Duration, seed uint64) []stallArrival {
	rng := rand.New(rand.NewPCG(seed, 9))
	var out []stallArrival
	prev := kitEpoch
	for tick := uint32(0); kitTick(tick, stallRate).Sub(kitEpoch) < dur; tick++ {
		at := kitTick(tick, stallRate).Add(l.latency)
		if l.jitter > 0 {
			at = at.Add(time.Duration(rng.Int64N(int64(l.jitter))))
		}
		for i := range l.stalls {
			start := kitEpoch.Add(l.first + time.Duration(i)*l.every + l.latency)
			if end := start.Add(l.stall); !at.Before(start) && at.Before(end) {
				at = end
			}
		}
		if at.Before(prev) { // in order, as TCP delivers
			at = prev
		}
		out = append(out, stallArrival{tick, at})
		prev = at
	}
	return out
}

type stallFrame struct {
	now          time.Time
	rt           float64 // render time, ticks
	extrapolated bool    // past the newest state held
	held         float64 // the newest state's tick plus MaxExtrapolate: past it the others stand still
	delay        time.Duration
}

// playStalls feeds the schedule to ip and draws a frame every 1/60 s until
// the last arrival, as the game loop does: arrivals due by a frame are pushed
// before it.
func playStalls(ip *Interpolator, arrivals []stallArrival) []stallFrame {
	var frames []stallFrame
	ents := []Entity{kitEnt(3, 100, 100, 0, 0, 0)}
	for now := arrivals[0].at; !now.After(arrivals[len(arrivals)-1].at); now = now.Add(time.Second / 60) {
		for len(arrivals) > 0 && !arrivals[0].at.After(now) {
			ip.Push(arrivals[0].tick, ents, arrivals[0].at)
			arrivals = arrivals[1:]
		}
		rt := ip.RenderTick(now)
		newest, _ := ip.Newest()
		held := float64(newest) + DefaultMaxExtrapolate.Seconds()*stallRate
		frames = append(frames, stallFrame{now, rt, rt > float64(newest), held, ip.DelayAt(now)})
	}
	return frames
}

// extrapolatedShare is the fraction of the frames in [from, to) (since the
// first arrival) that drew others past the newest state, and how many frames
// there were.
func extrapolatedShare(frames []stallFrame, from, to time.Duration) (float64, int) {
	n, x := 0, 0
	for _, f := range frames {
		if since := f.now.Sub(frames[0].now); since >= from && since < to {
			n++
			if f.extrapolated {
				x++
			}
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(x) / float64(n), n
}

func stallInterp(t *testing.T) *Interpolator {
	return newKitInterp(t, InterpConfig{TickRate: stallRate, SnapshotRate: stallRate})
}

// TestInterpolatorSteady: with snapshots on time the delay stays at its base
// and nothing is extrapolated.
func TestInterpolatorSteady(t *testing.T) {
	frames := playStalls(stallInterp(t), stallLink{latency: 75 * time.Millisecond}.schedule(30*time.Second, 1))
	require.Greater(t, len(frames), 1700)
	for _, f := range frames {
		require.InDelta(t, 2.0/stallRate, f.delay.Seconds(), 1e-6, "at %v", f.now.Sub(frames[0].now))
	}
	share, _ := extrapolatedShare(frames, 0, time.Hour)
	assert.Zero(t, share)
	lo, hi := stepRange(frames)
	assert.InDelta(t, 1, lo, 1e-6)
	assert.InDelta(t, 1, hi, 1e-6)
}

// TestInterpolatorStalls plays TCP retransmit stalls: the first one outlasts
// the base delay and is extrapolated over; the delay then grows to cover the
// next ones, and the render clock only ever slews.
func TestInterpolatorStalls(t *testing.T) {
	for _, c := range []struct {
		name string
		link stallLink
	}{
		{"300 ms every 5 s", stallLink{latency: 75 * time.Millisecond, jitter: 4 * time.Millisecond, first: 3 * time.Second, every: 5 * time.Second, stall: 300 * time.Millisecond, stalls: 5}},
		{"300 ms every 5 s, 20 ms jitter", stallLink{latency: 75 * time.Millisecond, jitter: 20 * time.Millisecond, first: 3 * time.Second, every: 5 * time.Second, stall: 300 * time.Millisecond, stalls: 5}},
		{"250 ms every 3 s", stallLink{latency: 75 * time.Millisecond, jitter: 4 * time.Millisecond, first: 3 * time.Second, every: 3 * time.Second, stall: 250 * time.Millisecond, stalls: 8}},
	} {
		t.Run(c.name, func(t *testing.T) {
			frames := playStalls(stallInterp(t), c.link.schedule(30*time.Second, 1))
			firstEnd := c.link.first + c.link.stall
			before, _ := extrapolatedShare(frames, 0, firstEnd)
			require.Greater(t, before, 0.0, "the first stall outlasts the base delay")
			after, n := extrapolatedShare(frames, firstEnd, firstEnd+20*time.Second)
			require.Greater(t, n, 1190)
			assert.Less(t, after, 0.01, "extrapolated frames in the 20 s after the first stall")

			lo, hi := stepRange(frames)
			assert.GreaterOrEqual(t, lo, 1-DefaultDelayGrowRate-1e-9, "render clock at most 10% slow")
			assert.LessOrEqual(t, hi, 1+DefaultDelayShrinkRate+1e-9, "and at most 5% fast")
			assert.Less(t, lo, 0.95, "the delay did grow")
			t.Logf("extrapolated %.2f%% of %d frames after the first stall; render clock speed %.3f..%.3f", 100*after, n, lo, hi)
		})
	}
}

// TestInterpolatorStallsForgotten: once the stalls stop, the delay comes back
// to its base, at StallDecay: a 300 ms stall asked for 300 ms over the base,
// forgotten in 300 ms / (5 ms/s) = 60 s.
func TestInterpolatorStallsForgotten(t *testing.T) {
	link := stallLink{latency: 75 * time.Millisecond, jitter: 4 * time.Millisecond, first: 3 * time.Second, every: 5 * time.Second, stall: 300 * time.Millisecond, stalls: 4}
	frames := playStalls(stallInterp(t), link.schedule(120*time.Second, 1))
	lastEnd := link.first + time.Duration(link.stalls-1)*link.every + link.stall
	var base time.Duration // the delay just before the first stall
	back := time.Duration(-1)
	for _, f := range frames {
		since := f.now.Sub(frames[0].now)
		if since < link.first {
			base = f.delay
			continue
		}
		if (f.delay - base).Abs() > 5*time.Millisecond {
			back = -1
		} else if back < 0 {
			back = since - lastEnd
		}
	}
	require.Greater(t, base, 2*time.Second/stallRate, "base: two intervals and a jitter margin")
	require.GreaterOrEqual(t, back, time.Duration(0), "the delay ends within 5 ms of its base %v", base)
	assert.LessOrEqual(t, back, 60*time.Second)
	assert.Greater(t, back, 30*time.Second, "forgotten slowly")
	t.Logf("base %v; back within 5 ms of it %v after the last stall", base, back)
}

// TestInterpolatorLongStall: a stall far past MaxDelay asks for no more than
// the cap, so it is forgotten as fast as a stall at the cap.
func TestInterpolatorLongStall(t *testing.T) {
	link := stallLink{latency: 75 * time.Millisecond, first: 3 * time.Second, every: time.Minute, stall: 5 * time.Second, stalls: 1}
	frames := playStalls(stallInterp(t), link.schedule(200*time.Second, 1))
	var peak time.Duration
	for _, f := range frames {
		peak = max(peak, f.delay)
	}
	assert.LessOrEqual(t, peak, DefaultMaxDelay)
	assert.Greater(t, peak, DefaultMaxDelay-50*time.Millisecond, "grown nearly to the cap while the cover decays")
	last := frames[len(frames)-1]
	elapsed := last.now.Sub(frames[0].now) - link.first - link.stall
	require.Greater(t, elapsed, 110*time.Second, "the cap over StallDecay is 100 s")
	assert.InDelta(t, 2.0/stallRate, last.delay.Seconds(), 0.005, "back at the base %v after the stall", elapsed)
}

// stepRange is the slowest and fastest render clock speed between two frames,
// as a multiple of real time, but for the steps that ran into the point
// where the others stand still: the clock then takes back, at once, what it
// ran on past them (TestInterpolatorStallPastExtrapolation), which nobody
// sees.
func stepRange(frames []stallFrame) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := 1; i < len(frames); i++ {
		if free := frames[i-1].rt + frames[i].now.Sub(frames[i-1].now).Seconds()*stallRate; free > frames[i-1].held {
			continue
		}
		speed := (frames[i].rt - frames[i-1].rt) / stallRate / frames[i].now.Sub(frames[i-1].now).Seconds()
		lo, hi = math.Min(lo, speed), math.Max(hi, speed)
	}
	return lo, hi
}

// TestInterpolatorStallPastExtrapolation: a stall that outlasts the delay
// and MaxExtrapolate holds the others where extrapolation left them while
// the render clock runs on. When the stream comes back they move on from
// there: what is drawn (the render time, but never past the newest state
// plus MaxExtrapolate) never steps forward by much more than a frame, where
// it would otherwise jump by the rest of the stall; nor does it step back.
func TestInterpolatorStallPastExtrapolation(t *testing.T) {
	frame := time.Second / 60
	for _, c := range []struct {
		name  string
		stall time.Duration
	}{
		{"400 ms", 400 * time.Millisecond},
		{"700 ms", 700 * time.Millisecond},
		{"1 s, past MaxDelay", time.Second},
		{"5 s, far past MaxDelay", 5 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			link := stallLink{latency: 75 * time.Millisecond, jitter: 4 * time.Millisecond, first: 3 * time.Second, every: time.Minute, stall: c.stall, stalls: 1}
			ip := stallInterp(t)
			arrivals := link.schedule(20*time.Second, 1)
			var drawn []float64
			ents := []Entity{kitEnt(3, 100, 100, 0, 0, 0)}
			for now := arrivals[0].at; !now.After(arrivals[len(arrivals)-1].at); now = now.Add(frame) {
				for len(arrivals) > 0 && !arrivals[0].at.After(now) {
					ip.Push(arrivals[0].tick, ents, arrivals[0].at)
					arrivals = arrivals[1:]
				}
				newest, _ := ip.Newest()
				drawn = append(drawn, math.Min(ip.RenderTick(now), float64(newest)+DefaultMaxExtrapolate.Seconds()*stallRate))
			}
			perFrame := frame.Seconds() * stallRate
			var most, least float64
			for i := 1; i < len(drawn); i++ {
				most, least = math.Max(most, drawn[i]-drawn[i-1]), math.Min(least, drawn[i]-drawn[i-1])
			}
			// Past what the delay may take up, the rest is a jump.
			jump := max(0, c.stall-DefaultMaxDelay-DefaultMaxExtrapolate).Seconds() * stallRate
			limit := jump + (1+DefaultDelayShrinkRate)*perFrame*1.01
			assert.LessOrEqual(t, most, limit, "largest forward step of what is drawn, ticks")
			assert.GreaterOrEqual(t, least, 0.0, "what is drawn never goes back")
		})
	}
}
