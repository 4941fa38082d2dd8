package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/report"
	"github.com/skirmish-game/skirmish/bench/serverproc"
	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

// TestMain lets the test binary be the bench's server child: Start re-execs
// os.Executable() with EnvServe set, which here is this test binary.
func TestMain(m *testing.M) {
	if serverproc.Requested() {
		os.Exit(serverproc.Main())
	}
	os.Exit(m.Run())
}

// shortConfig is a 20-bot, 3-second run.
func shortConfig() Config {
	cfg := DefaultConfig()
	cfg.Bots = 20
	cfg.PerRoom = 10
	cfg.Ramp = 500 * time.Millisecond
	cfg.Settle = 500 * time.Millisecond
	cfg.Duration = 3 * time.Second
	cfg.Behavior = bot.Fight
	return cfg
}

func testRunner(t *testing.T) Runner {
	return Runner{Log: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})), ServerLog: t.Output()}
}

func TestShortRunAgainstChild(t *testing.T) {
	dir := t.TempDir()
	cfg := shortConfig()
	cfg.JSONPath = filepath.Join(dir, "report.json")
	cfg.PlotPath = filepath.Join(dir, "plot.png")
	var out bytes.Buffer
	require.NoError(t, Execute(t.Context(), cfg, testRunner(t), &out))
	assert.Contains(t, out.String(), "kept up:")

	data, err := os.ReadFile(cfg.JSONPath)
	require.NoError(t, err)
	var rep report.Report
	require.NoError(t, json.Unmarshal(data, &rep))
	checkReportJSON(t, data)

	assert.Zero(t, rep.Errors, "error kinds %v, close codes %v", rep.ErrorKinds, rep.CloseCodes)
	assert.Equal(t, 20, rep.Bots)
	assert.Equal(t, 2, rep.Rooms)
	assert.Equal(t, 20, rep.BotsConnected)
	assert.Positive(t, rep.SnapshotsReceived)
	assert.Equal(t, rep.SnapshotsReceived, rep.SnapshotsApplied, "every snapshot taken")
	assert.Equal(t, 2*DefaultObservers, rep.Observers, "per room")
	assert.Positive(t, rep.ObserverDeltasApplied)
	assert.Equal(t, rep.ObserverSnapshots, rep.ObserverDeltasApplied, "every observer's delta applied in full")
	assert.Less(t, rep.ObserverSnapshots, rep.SnapshotsReceived, "the other bots were lean")
	assert.Positive(t, rep.InputLatencyMs.P50)
	assert.Positive(t, rep.DownBytesPerBotS)
	assert.Positive(t, rep.UpBytesPerBotS)
	assert.True(t, rep.ServerMetrics, "the child's /metrics was read")
	assert.Positive(t, rep.ServerRSSMB, "the child's /proc was read")
	assert.Positive(t, rep.ServerCPUPct)
	assert.False(t, rep.ExternalServer)

	plot, err := os.Stat(cfg.PlotPath)
	require.NoError(t, err)
	assert.Positive(t, plot.Size())
}

func TestShortRunAgainstExternalServer(t *testing.T) {
	ecfg := serverproc.EngineConfig(serverproc.Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 2, MaxConnsPerIP: 100, AOI: true, Deltas: true, Seed: 3})
	srv := enginetest.NewServer(t, ecfg)

	cfg := shortConfig()
	cfg.URL = srv.URL
	cfg.Behavior = bot.Wander
	rep, err := testRunner(t).Run(t.Context(), cfg)
	require.NoError(t, err)
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	checkReportJSON(t, data)
	assert.Zero(t, rep.Errors, "error kinds %v, close codes %v", rep.ErrorKinds, rep.CloseCodes)
	assert.Equal(t, rep.SnapshotsReceived, rep.SnapshotsApplied)
	assert.True(t, rep.ExternalServer)
	assert.True(t, rep.ServerMetrics)
	assert.Zero(t, rep.ServerCPUPct, "not measured for a server the bench did not start")
}

// TestMetricsFromTheAdminListener: a server with -admin-addr serves no
// /metrics on its game port, so the bench reads the tick there only when
// -metrics-url names the admin listener.
func TestMetricsFromTheAdminListener(t *testing.T) {
	ecfg := serverproc.EngineConfig(serverproc.Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 2, MaxConnsPerIP: 100, AOI: true, Deltas: true, Seed: 3})
	ecfg.AdminAddr = "127.0.0.1:0" // the listener below is what serves it
	srv, err := engine.New(ecfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv.ServeAdminOn(admin)
	game, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, game) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			assert.NoError(t, err)
		case <-time.After(enginetest.StopTimeout):
			t.Error("engine did not stop")
		}
	})

	for _, tc := range []struct {
		name       string
		metricsURL string
		want       bool
	}{
		{"from the game port", "", false},
		{"from the admin listener", "http://" + admin.Addr().String() + "/metrics", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := shortConfig()
			cfg.Bots, cfg.PerRoom = 4, 4
			cfg.URL = "ws://" + game.Addr().String() + "/ws"
			cfg.MetricsURL = tc.metricsURL
			cfg.Behavior = bot.Wander
			rep, err := testRunner(t).Run(t.Context(), cfg)
			require.NoError(t, err)
			assert.Zero(t, rep.Errors, "error kinds %v, close codes %v", rep.ErrorKinds, rep.CloseCodes)
			assert.Equal(t, tc.want, rep.ServerMetrics, "the server's /metrics was read")
			if tc.want {
				assert.Positive(t, rep.ServerTickMs.P50, "the tick time came from the admin listener")
			}
		})
	}
}

func TestCapacitySearchIsBounded(t *testing.T) {
	cfg := shortConfig()
	cfg.Capacity = true
	cfg.CapacityStart, cfg.CapacityStep, cfg.CapacitySteps = 5, 5, 2
	cfg.StepDuration = 3 * time.Second
	cfg.Ramp, cfg.Settle = 300*time.Millisecond, 300*time.Millisecond
	c, err := testRunner(t).Capacity(t.Context(), cfg)
	require.NoError(t, err)
	require.NotEmpty(t, c.Steps)
	assert.LessOrEqual(t, len(c.Steps), 2)
	assert.Equal(t, 5, c.Steps[0].Bots)
	require.NotNil(t, c.Report)
	if c.CapacityBots > 0 {
		assert.Equal(t, c.CapacityBots, c.Report.Bots)
		assert.True(t, c.Report.KeptUp)
	}
	if last := c.Steps[len(c.Steps)-1]; !last.KeptUp {
		assert.Equal(t, last.Bots, c.FailedAt)
		assert.NotEmpty(t, c.FailedCriterion, "misses %v", last.Misses)
	} else {
		assert.Zero(t, c.FailedAt)
	}
}

// checkReportJSON asserts that every fixed key is present with a sensible
// value.
// TestShortRunAgainstFloor runs the same short load against the floor
// child: the bots are welcomed and fed, the observers apply every full
// snapshot, and the report says it was the floor.
func TestShortRunAgainstFloor(t *testing.T) {
	dir := t.TempDir()
	cfg := shortConfig()
	cfg.Floor = true
	cfg.FloorBytes = 1500
	cfg.JSONPath = filepath.Join(dir, "report.json")
	var out bytes.Buffer
	require.NoError(t, Execute(t.Context(), cfg, testRunner(t), &out))
	assert.Contains(t, out.String(), "FLOOR: the server was the bench's bare transport server")
	assert.Contains(t, out.String(), "a full 1500-byte snapshot")

	data, err := os.ReadFile(cfg.JSONPath)
	require.NoError(t, err)
	checkReportJSON(t, data)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(data, &raw))
	assert.Equal(t, true, raw["floor"])
	var rep report.Report
	require.NoError(t, json.Unmarshal(data, &rep))

	assert.Zero(t, rep.Errors, "error kinds %v, close codes %v, first %v", rep.ErrorKinds, rep.CloseCodes, rep.FirstErrors)
	assert.Equal(t, 20, rep.BotsConnected)
	assert.Positive(t, rep.SnapshotsReceived)
	assert.Equal(t, rep.SnapshotsReceived, rep.SnapshotsApplied, "every snapshot taken")
	assert.Positive(t, rep.ObserverDeltasApplied)
	assert.Equal(t, rep.ObserverSnapshots, rep.ObserverDeltasApplied, "every observer's snapshot applied in full")
	assert.Positive(t, rep.InputLatencyMs.P50, "inputs covered by the floor's last seq")
	assert.Positive(t, rep.RTTMs.P50, "pings answered")
	assert.Greater(t, rep.DownBytesPerBotS, 1000.0, "a snapshot of about 1,500 bytes each tick")
	assert.False(t, rep.ServerMetrics, "the floor serves no /metrics")
	assert.NotContains(t, rep.NotKeptUp, report.Miss{Criterion: report.CriterionTickUnknown}.String(), "the floor has no tick to miss")
	assert.Positive(t, rep.ServerRSSMB, "the floor child's /proc was read")
	assert.Positive(t, rep.ServerCPUPct)
	assert.False(t, rep.AOI)
	assert.False(t, rep.Deltas)
}

func checkReportJSON(t *testing.T, data []byte) {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	get := func(key string) any {
		parent, child, nested := bytes.Cut([]byte(key), []byte("."))
		v, ok := m[string(parent)]
		require.True(t, ok, "key %s", key)
		if nested {
			sub, ok := v.(map[string]any)
			require.True(t, ok, "key %s is an object", parent)
			v, ok = sub[string(child)]
			require.True(t, ok, "key %s", key)
		}
		return v
	}
	for _, k := range report.RequiredKeys() {
		v := get(k)
		if k == "kept_up" {
			assert.IsType(t, true, v)
			continue
		}
		n, ok := v.(float64)
		require.True(t, ok, "%s is a number, got %T", k, v)
		assert.GreaterOrEqual(t, n, 0.0, k)
	}
	num := func(k string) float64 { return get(k).(float64) }
	for _, d := range []string{"input_latency_ms", "snapshot_interval_ms", "server_tick_ms"} {
		assert.LessOrEqual(t, num(d+".p50"), num(d+".p99"), d)
		assert.LessOrEqual(t, num(d+".p99"), num(d+".max"), d)
	}
	assert.LessOrEqual(t, num("input_latency_ms.p50"), num("input_latency_ms.p95"))
	assert.LessOrEqual(t, num("input_latency_ms.p95"), num("input_latency_ms.p99"))
	assert.Positive(t, num("duration_s"))
	assert.Positive(t, num("tick_rate"))
}

func TestShortSoakAgainstChild(t *testing.T) {
	dir := t.TempDir()
	cfg := shortConfig()
	cfg.Soak, cfg.SoakEvery, cfg.Churn = true, 200*time.Millisecond, 50*time.Millisecond
	cfg.Duration, cfg.SoakWarmup = 5*time.Second, 500*time.Millisecond
	cfg.JSONPath = filepath.Join(dir, "soak.json")
	var out bytes.Buffer
	err := Execute(t.Context(), cfg, testRunner(t), &out)
	if err != nil {
		require.ErrorIs(t, err, ErrNotFlat, "a soak fails only by growing")
	}
	assert.Contains(t, out.String(), "resource")
	assert.Contains(t, out.String(), "flat: ")

	data, err := os.ReadFile(cfg.JSONPath)
	require.NoError(t, err)
	checkReportJSON(t, data)
	var s report.Soak
	require.NoError(t, json.Unmarshal(data, &s))
	assert.Equal(t, strings.Contains(out.String(), "flat: yes"), s.Flat)
	require.GreaterOrEqual(t, len(s.Samples), 2*minSoakSamples)
	require.Len(t, s.Resources, len(soakResources))
	for _, f := range s.Resources {
		assert.True(t, f.Measured, "%s measured", f.Resource)
		assert.Positive(t, f.Start, f.Resource)
	}
	sources := map[string]string{}
	for _, f := range s.Resources {
		sources[f.Resource] = f.Source
	}
	assert.Equal(t, map[string]string{"rss_mb": "/proc", "open_fds": "/proc", "heap_inuse_mb": "/metrics", "goroutines": "/metrics"}, sources)
	assert.Positive(t, s.Churn.Reconnects+s.Churn.Resumes, "bots churned")
	assert.Zero(t, s.Churn.ResumesRefused)
}
