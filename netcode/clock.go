package netcode

import (
	"math"
	"time"
)

// Clock sync settings.
const (
	// ClockWindow is how many recent Ping/Pong samples are kept.
	ClockWindow = 16
	// ClockSyncSamples is how many samples make the estimate worth using.
	ClockSyncSamples = 4
)

// clockRTTAlpha smooths the displayed RTT as TCP smooths SRTT (RFC 6298).
const clockRTTAlpha = 1.0 / 8

type clockSample struct {
	rtt    int64 // µs
	offset int64 // µs, server clock minus client clock
	server int64 // server time of the sample, µs
	tick   uint32
}

// Clock estimates the server's clock from Ping/Pong round trips, NTP style:
// each sample's offset assumes the Pong took half the round trip, which is
// wrong by half the asymmetry of the two legs; the samples with the lowest
// RTT were least delayed by queues, so their asymmetry is smallest and only
// they are averaged. All times are microseconds on the caller's clocks. The
// zero value is ready to use. Not safe for concurrent use.
type Clock struct {
	samples [ClockWindow]clockSample
	n       int // samples held
	next    int // ring slot for the next sample
	srtt    float64
	offset  int64
}

// NewClock returns an empty Clock.
func NewClock() *Clock { return &Clock{} }

// OnPong takes one round trip: the Ping left at clientSend and its Pong came
// back at clientRecv (client clock), carrying the server's clock serverTime
// and the room's tick serverTick at that moment. A Pong received before its
// Ping was sent is nonsense and is ignored (false).
func (c *Clock) OnPong(clientSend, clientRecv, serverTime int64, serverTick uint32) bool {
	rtt := clientRecv - clientSend
	if rtt < 0 {
		return false
	}
	c.samples[c.next] = clockSample{
		rtt:    rtt,
		offset: serverTime + rtt/2 - clientRecv,
		server: serverTime,
		tick:   serverTick,
	}
	c.next = (c.next + 1) % ClockWindow
	if c.n < ClockWindow {
		c.n++
	}
	if c.n == 1 {
		c.srtt = float64(rtt)
	} else {
		c.srtt += clockRTTAlpha * (float64(rtt) - c.srtt)
	}
	c.offset = c.bestOffset()
	return true
}

// bestOffset averages the offsets of the quarter of the samples (at least
// one) with the lowest RTT.
func (c *Clock) bestOffset() int64 {
	var best [ClockWindow]clockSample
	copy(best[:], c.samples[:c.n])
	// Insertion sort: at most ClockWindow items, and no allocation.
	for i := 1; i < c.n; i++ {
		for j := i; j > 0 && best[j].rtt < best[j-1].rtt; j-- {
			best[j], best[j-1] = best[j-1], best[j]
		}
	}
	k := max(1, c.n/4)
	var sum int64
	for _, s := range best[:k] {
		sum += s.offset
	}
	return sum / int64(k)
}

// Synced reports whether enough samples have been taken to trust the
// estimates.
func (c *Clock) Synced() bool { return c.n >= ClockSyncSamples }

// Samples counts the samples held (at most ClockWindow).
func (c *Clock) Samples() int { return c.n }

// RTT is the smoothed round-trip time.
func (c *Clock) RTT() time.Duration { return time.Duration(c.srtt) * time.Microsecond }

// Offset is the estimated server clock minus client clock.
func (c *Clock) Offset() time.Duration { return time.Duration(c.offset) * time.Microsecond }

// ServerTime estimates the server's clock, µs, at client time clientNow.
func (c *Clock) ServerTime(clientNow int64) int64 { return clientNow + c.offset }

// ServerTickFloat estimates the room's tick, with its fraction, at client time
// clientNow for a room running tickRate ticks per second; 0 before any
// sample. A Pong's tick is the counter at its ServerTime, so that tick began
// up to one tick earlier: each sample puts tick 0 in a window one tick wide,
// and the intersection of the windows narrows as the samples' phases spread.
// Its middle is at most half a tick off.
func (c *Clock) ServerTickFloat(clientNow int64, tickRate int) float64 {
	if c.n == 0 || tickRate <= 0 {
		return 0
	}
	perTick := 1e6 / float64(tickRate)
	// Server time, µs, of tick 0: at most the earliest and more than the
	// latest minus a tick, per sample.
	latest, earliest := math.Inf(-1), math.Inf(1)
	for _, s := range c.samples[:c.n] {
		origin := float64(s.server) - float64(s.tick)*perTick
		latest, earliest = math.Max(latest, origin), math.Min(earliest, origin)
	}
	origin := (latest - perTick + earliest) / 2
	return (float64(c.ServerTime(clientNow)) - origin) / perTick
}
