package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/dist"
	"github.com/skirmish-game/skirmish/bench/report"
	"github.com/skirmish-game/skirmish/bench/serverproc"
	"github.com/skirmish-game/skirmish/bench/stats"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

// startNATS runs an embedded NATS server on a random loopback port until
// the test ends and returns its client URL.
func startNATS(t *testing.T) string {
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	require.NoError(t, err)
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	require.True(t, ns.ReadyForConnections(5*time.Second), "nats server ready")
	return ns.ClientURL()
}

// wiretap records every worker's samples and results as they cross NATS,
// to hold the coordinator's report to them.
type wiretap struct {
	mu      sync.Mutex
	samples map[int][]wireSample // by seq, each worker at its index
	totals  []bot.Totals
}

// tap listens to every run's samples and results on one subscription, so
// that its handler sees each worker's messages in the order the worker sent
// them: once a worker's result is in, so is every sample it sent.
func tap(t *testing.T, url string, workers int) *wiretap {
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	w := &wiretap{samples: map[int][]wireSample{}}
	_, err = nc.Subscribe(dist.SubjectPrefix+".*.*", func(m *nats.Msg) {
		switch m.Subject[strings.LastIndexByte(m.Subject, '.')+1:] {
		case "sample":
			var s dist.Sample
			var ws wireSample
			if !assert.NoError(t, json.Unmarshal(m.Data, &s)) || !assert.NoError(t, json.Unmarshal(s.Data, &ws)) {
				return
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.samples[s.Seq] == nil {
				w.samples[s.Seq] = make([]wireSample, workers)
			}
			w.samples[s.Seq][s.Index] = ws
		case "result":
			var r dist.Result
			var tot bot.Totals
			if !assert.NoError(t, json.Unmarshal(m.Data, &r)) || !assert.NoError(t, json.Unmarshal(r.Data, &tot)) {
				return
			}
			w.mu.Lock()
			w.totals = append(w.totals, tot)
			w.mu.Unlock()
		}
	})
	require.NoError(t, err)
	require.NoError(t, nc.Flush())
	return w
}

// whole is how many of the tapped samples, from 0 on, every worker sent. A
// worker whose timer fired before it heard the coordinator's stop sends one
// more than a worker that heard it first; the coordinator merged none of
// those, so the samples after whole must be such a tail: no worker sent
// any sample all the others did.
func (w *wiretap) whole(t *testing.T) int {
	n := 0
	for ; ; n++ {
		parts, ok := w.samples[n]
		if !ok || slices.ContainsFunc(parts, func(p wireSample) bool { return p.Lat == nil }) {
			break
		}
	}
	for seq, parts := range w.samples {
		if seq >= n {
			assert.True(t, slices.ContainsFunc(parts, func(p wireSample) bool { return p.Lat == nil }),
				"sample %d came from every worker, after sample %d that did not", seq, n)
		}
	}
	return n
}

// A coordinator and two workers, all in this process, load a real engine
// through an embedded NATS server. The report must be what one merged
// histogram gives: counts that are the workers' sums, percentiles of the
// summed buckets.
func TestDistributedRunMergesExactly(t *testing.T) {
	const workers = 2
	natsURL := startNATS(t)
	srv := enginetest.NewServer(t, serverproc.EngineConfig(serverproc.Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 4, MaxConnsPerIP: 100, AOI: true, Deltas: true, Seed: 3}))
	wt := tap(t, natsURL, workers)

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { assert.NoError(t, testRunner(t).Serve(ctx, natsURL)) })
	}
	defer func() { cancel(); wg.Wait() }()

	cfg := shortConfig()
	cfg.Bots, cfg.PerRoom = 12, 6
	cfg.Behavior = bot.Wander
	cfg.URL, cfg.NATS, cfg.Workers = srv.URL, natsURL, workers
	cfg.JoinTimeout = 10 * time.Second
	var out bytes.Buffer
	r := testRunner(t)
	rep, err := r.Coordinate(t.Context(), cfg, mustNATS(t, natsURL))
	require.NoError(t, err)
	require.NoError(t, rep.WriteTable(&out))
	assert.Contains(t, out.String(), "bots on 2 workers")
	assert.Contains(t, out.String(), "the 2 workers' processes together")
	assert.Contains(t, out.String(), "kept up:")
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	checkReportJSON(t, data)

	assert.Equal(t, workers, rep.Workers)
	assert.Equal(t, 12, rep.BotsConnected, "every worker's bots")
	assert.Equal(t, 2, rep.Rooms)
	assert.Zero(t, rep.Errors, "error kinds %v, close codes %v", rep.ErrorKinds, rep.CloseCodes)

	// Whole-run figures: the sums of the workers' totals.
	require.Eventually(t, func() bool { wt.mu.Lock(); defer wt.mu.Unlock(); return len(wt.totals) == workers }, 5*time.Second, 10*time.Millisecond)
	wt.mu.Lock()
	defer wt.mu.Unlock()
	var received, applied, welcomed uint64
	var connect stats.Counts
	var connectMax time.Duration
	for _, tot := range wt.totals {
		received, applied, welcomed = received+tot.SnapshotsReceived, applied+tot.SnapshotsAcked, welcomed+tot.Welcomed
		connect = connect.Add(tot.Connect, connect)
		connectMax = max(connectMax, tot.ConnectMax)
		assert.Positive(t, tot.Welcomed, "each worker ran bots")
	}
	assert.Equal(t, uint64(12), welcomed)
	assert.Equal(t, received, rep.SnapshotsReceived)
	assert.Equal(t, applied, rep.SnapshotsApplied)
	assert.Equal(t, latencyMs(connect.Summarize(connectMax)), rep.ConnectMs, "connect percentiles of the summed histogram")

	// The window's figures: some pair of merged samples, the window's
	// edges, gives exactly the report's input latency and snapshot count.
	whole := wt.whole(t)
	found := false
	for a := 0; a < whole && !found; a++ {
		for b := a + 1; b < whole && !found; b++ {
			sa, sb := merged(t, wt.samples[a]), merged(t, wt.samples[b])
			if report.Round(sb.at.Sub(sa.at).Seconds(), 2) != rep.DurationS {
				continue
			}
			var latMax time.Duration
			for k := a + 1; k <= b; k++ {
				latMax = max(latMax, merged(t, wt.samples[k]).latMax)
			}
			lat := latencyMs(sb.lat.Sub(sa.lat, nil).Summarize(latMax))
			found = lat == rep.InputLatencyMs && sb.connected == rep.BotsConnected
		}
	}
	assert.True(t, found, "no window of the workers' samples gives input latency %+v over %v s", rep.InputLatencyMs, rep.DurationS)
}

func merged(t *testing.T, parts []wireSample) *sample {
	s, _, err := mergeSamples(parts)
	require.NoError(t, err)
	return s
}

func mustNATS(t *testing.T, url string) *nats.Conn {
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}

// The histograms of a sample add bucket by bucket, the maxima take the
// largest, the counters sum: a merge of parts is the whole.
func TestMergeSamples(t *testing.T) {
	var h1, h2, whole stats.Histogram
	for i := range 500 {
		d := time.Duration(i*37%4000) * time.Microsecond
		whole.Record(d)
		if i%2 == 0 {
			h1.Record(d)
		} else {
			h2.Record(d)
		}
	}
	t0 := time.Now()
	parts := []wireSample{
		{At: t0, Lat: h1.Snapshot(nil), Ivl: h2.Snapshot(nil), LatMax: time.Millisecond, Connected: 3, Inputs: 10, Errors: 1, CPU: time.Second, Ramped: true},
		{At: t0.Add(time.Millisecond), Lat: h2.Snapshot(nil), Ivl: h1.Snapshot(nil), LatMax: 2 * time.Millisecond, Connected: 4, Inputs: 5, CPU: time.Second},
	}
	m, ramped, err := mergeSamples(parts)
	require.NoError(t, err)
	assert.Equal(t, whole.Snapshot(nil), m.lat)
	assert.Equal(t, whole.Snapshot(nil), m.ivl)
	assert.Equal(t, whole.Snapshot(nil).Quantile(0.99), m.lat.Quantile(0.99))
	assert.Equal(t, 2*time.Millisecond, m.latMax)
	assert.Equal(t, [3]any{7, uint64(15), uint64(1)}, [3]any{m.connected, m.inputs, m.errors})
	assert.Equal(t, 2*time.Second, m.self.CPU)
	assert.Equal(t, t0.Add(time.Millisecond), m.at)
	assert.False(t, ramped, "until every share ramped")

	parts[1].Lat = parts[1].Lat[:10]
	_, _, err = mergeSamples(parts)
	assert.Error(t, err, "histograms of another layout")
}
