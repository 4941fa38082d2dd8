package netcode

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kitLink simulates Ping/Pong over a path whose two legs have their own base
// delay and exponential queueing noise, against a server whose clock is
// offset µs ahead of the client's and whose room ticks tickRate times a
// second from tick 0 at server time origin.
type kitLink struct {
	rng              *rand.Rand
	offset, origin   int64
	tickRate         int
	upBase, downBase float64 // µs
	upNoise, downNse float64 // mean µs
}

// ping sends at client time send and returns the Pong's fields and arrival.
func (l *kitLink) ping(send int64) (recv, serverTime int64, tick uint32) {
	up := int64(l.upBase + l.rng.ExpFloat64()*l.upNoise)
	down := int64(l.downBase + l.rng.ExpFloat64()*l.downNse)
	serverTime = send + up + l.offset
	tick = uint32((serverTime - l.origin) * int64(l.tickRate) / 1e6)
	return send + up + down, serverTime, tick
}

func TestClockConverges(t *testing.T) {
	for _, c := range []struct {
		name string
		link kitLink
	}{
		{"symmetric, calm", kitLink{offset: 123_456_789, origin: 5_000_000, tickRate: 30,
			upBase: 20_000, downBase: 20_000, upNoise: 2_000, downNse: 2_000}},
		{"upload queues far more than download", kitLink{offset: -987_654, origin: 1_000, tickRate: 30,
			upBase: 20_000, downBase: 20_000, upNoise: 40_000, downNse: 5_000}},
		{"server behind, 60 Hz, noisy both ways", kitLink{offset: -50_000_000, origin: 0, tickRate: 60,
			upBase: 60_000, downBase: 60_000, upNoise: 30_000, downNse: 30_000}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := c.link
			l.rng = rand.New(rand.NewPCG(6, uint64(l.tickRate)))
			var clk Clock
			assert.False(t, clk.Synced())
			assert.Zero(t, clk.ServerTickFloat(0, l.tickRate))

			send := int64(60_000_000)
			var naiveErr, worstErr float64
			for i := range 200 {
				recv, st, tick := l.ping(send)
				require.True(t, clk.OnPong(send, recv, st, tick))
				if i == ClockSyncSamples-2 {
					assert.False(t, clk.Synced())
				}
				if i >= 2*ClockWindow {
					// Asymmetry of a single sample, what a naive estimate would be off by.
					naiveErr = math.Max(naiveErr, math.Abs(float64(st+(recv-send)/2-recv-l.offset)))
					worstErr = math.Max(worstErr, math.Abs(float64(clk.Offset().Microseconds()-l.offset)))
				}
				send += 1_000_000 + l.rng.Int64N(50_000) // about one ping a second, on frame boundaries
			}
			t.Logf("worst offset error after %d samples: %.0f µs; worst single-sample error: %.0f µs; RTT %v",
				2*ClockWindow, worstErr, naiveErr, clk.RTT())
			require.True(t, clk.Synced())
			assert.Equal(t, ClockWindow, clk.Samples())

			// Over the low-RTT samples the asymmetry is only the noise of
			// their quick legs: a few ms (under a quarter tick), where a
			// single sample is off by up to tens of ms.
			assert.Less(t, worstErr, 8_000.0, "offset error µs (single samples were off by up to %.0f)", naiveErr)
			assert.Less(t, worstErr, naiveErr/5)
			assert.Equal(t, clk.Offset().Microseconds()+send, clk.ServerTime(send))

			minRTT := time.Duration(l.upBase+l.downBase) * time.Microsecond
			meanRTT := time.Duration(l.upBase+l.downBase+l.upNoise+l.downNse) * time.Microsecond
			assert.Greater(t, clk.RTT(), minRTT)
			assert.InDelta(t, meanRTT.Seconds(), clk.RTT().Seconds(), meanRTT.Seconds()/2)

			// The room's tick, fractional, at a client time between pings.
			now := send + 400_000
			want := float64(now+l.offset-l.origin) * float64(l.tickRate) / 1e6
			assert.InDelta(t, want, clk.ServerTickFloat(now, l.tickRate), 0.25, "ticks")
		})
	}
}

func TestClockRejectsNonsense(t *testing.T) {
	for _, c := range []struct {
		name       string
		send, recv int64
		ok         bool
	}{
		{"received before sent", 1000, 999, false},
		{"zero round trip", 1000, 1000, true},
		{"normal", 1000, 41000, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := NewClock()
			assert.Equal(t, c.ok, clk.OnPong(c.send, c.recv, 5000, 1))
			if c.ok {
				assert.Equal(t, 1, clk.Samples())
				assert.Equal(t, time.Duration(c.recv-c.send)*time.Microsecond, clk.RTT())
				assert.Equal(t, time.Duration(5000+(c.recv-c.send)/2-c.recv)*time.Microsecond, clk.Offset())
			} else {
				assert.Zero(t, clk.Samples())
			}
			assert.Zero(t, clk.ServerTickFloat(0, 0), "no tick rate, no tick")
		})
	}
}

func BenchmarkClockOnPong(b *testing.B) {
	var clk Clock
	rng := rand.New(rand.NewPCG(7, 7))
	b.ReportAllocs()
	send := int64(0)
	for b.Loop() {
		send += 1000
		clk.OnPong(send, send+20_000+rng.Int64N(10_000), send+10_000, uint32(send/33_333))
	}
}
