package engine

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// A client that stops reading must not slow anyone else down: the healthy
// client keeps getting snapshots at the tick rate while the stalled one backs
// up, is skipped, and is closed with 4008.
func TestStalledClientIsSkippedThenClosed(t *testing.T) {
	cfg := testConfig(t)
	cfg.AOI = false // big snapshots fill the stalled client's buffers quickly
	cfg.SendQueue = 16 << 10
	cfg.SocketSendBuffer = 16 << 10
	cfg.SlowClientTimeout = 500 * time.Millisecond
	frames := newFrameLog()
	ts := startServer(t, cfg, withFrames(frames))

	healthy := dial(t, ts.addr)
	stalled := dial(t, ts.addr, withReceiveBuffer(4096))
	wh := healthy.hello("healthy", "stall", "")
	stalled.hello("stalled", "stall", "")
	require.Equal(t, "stall", wh.Room)
	stalled.stall.Store(true) // its read loop stops at the next message

	// The healthy client acks every snapshot and measures their arrival
	// until the stalled one has been kicked, and a second more.
	rx := netcode.NewReceiver(int(wh.SnapshotRate))
	var arrivals []time.Time
	var ticks []uint32
	var kickedAt time.Time
	for seq := uint32(1); kickedAt.IsZero() || time.Since(kickedAt) < time.Second; seq++ {
		b, err := healthy.next(netcode.KindSnapshot)
		require.NoError(t, err)
		arrivals = append(arrivals, time.Now())
		st, err := rx.Receive(b)
		require.NoError(t, err)
		ticks = append(ticks, st.Tick)
		healthy.send(&netcode.Input{Seq: seq, Ack: st.Tick})
		if kickedAt.IsZero() && counterValue(t, ts.m.slowKicks) > 0 {
			kickedAt = time.Now()
		}
		require.Less(t, time.Since(arrivals[0]), waitFor, "the stalled client was not kicked")
	}
	assert.Positive(t, counterValue(t, ts.m.snapshotsSkipped), "the stalled client's snapshots were skipped")

	// The healthy client got every snapshot the room made while the other
	// one stalled (a busy machine may make the room drop ticks, but then
	// those snapshots were never made), and they came at about the tick rate.
	assert.Equal(t, frames.ticks("stall", ticks[0], ticks[len(ticks)-1]), ticks, "snapshots the healthy client got")
	interval := time.Second / time.Duration(cfg.snapshotRate())
	gaps := make([]time.Duration, 0, len(arrivals))
	for i := 1; i < len(arrivals); i++ {
		gaps = append(gaps, arrivals[i].Sub(arrivals[i-1]))
	}
	slices.Sort(gaps)
	median, worst := gaps[len(gaps)/2], gaps[len(gaps)-1]
	t.Logf("healthy client: %d snapshots in %v, median gap %v, worst %v (interval %v)",
		len(arrivals), arrivals[len(arrivals)-1].Sub(arrivals[0]), median, worst, interval)
	assert.Less(t, median, 2*interval, "median gap between snapshots")

	// Once it reads again, the stalled client finds the Error and the close.
	close(stalled.release)
	stalled.requireClose(netcode.CloseSlowConsumer, true)
}
