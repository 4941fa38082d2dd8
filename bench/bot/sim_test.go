package bot

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/serverproc"
	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

// A bot with 50 ms simulated each way, against a real engine, measures
// pings of at least 100 ms.
func TestSimulatedLatencyShowsInTheBotsPing(t *testing.T) {
	cfg := serverproc.EngineConfig(serverproc.Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 1, MaxConnsPerIP: 10, AOI: true, Deltas: true, Seed: 1})
	srv := enginetest.NewServer(t, cfg)
	rec := NewRecorder()
	b := New(&Config{
		URL: srv.URL, Behavior: Idle, ConnectTimeout: 5 * time.Second, PingInterval: time.Millisecond,
		Sim: transport.Sim{Latency: 50 * time.Millisecond},
	}, rec, "sim", "sim", 1)
	require.NoError(t, b.Connect(t.Context()))
	defer b.Close()

	// The first Step only spreads the pings over the interval; each later
	// one pings (the interval is far below the test's pace). A ping carries
	// the Step's time, so it is the real one.
	require.Eventually(t, func() bool {
		b.Step(time.Now())
		return rec.RTT.Snapshot(nil).Total() >= 3
	}, 10*time.Second, time.Second/30, "pongs back")
	require.Zero(t, rec.Errors.Load(), "%v", rec.FirstErrors())

	// The histogram keeps buckets about 3% wide and reports a bucket's
	// midpoint: the lowest ping's lies at most 2% below its true value.
	lowest := rec.RTT.Snapshot(nil).Quantile(1e-9)
	assert.GreaterOrEqual(t, lowest, 98*time.Millisecond, "50 ms there and 50 ms back")
}
