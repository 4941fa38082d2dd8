package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleReport() *Report {
	return &Report{
		Bots: 20, Rooms: 2, TickRate: 30, DurationS: 2, PerRoom: 10, SnapshotRate: 30,
		InputLatencyMs:     Latency{P50: 20, P95: 30, P99: 40, Max: 50},
		SnapshotIntervalMs: Spread{P50: 33, P99: 40, Max: 45},
		ServerTickMs:       Spread{P50: 0.5, P99: 1, Max: 2},
		KeptUp:             true, ServerMetrics: true,
		ErrorKinds: map[string]uint64{}, CloseCodes: map[string]uint64{"4008": 1},
		Series: []Point{
			{T: 1, Bots: 10, Latency: Latency{P50: 1, P95: 2, P99: 3, Max: 4}, Tick: Spread{P50: 0.1, P99: 0.2, Max: 0.3}},
			{T: 2, Bots: 20, Latency: Latency{P50: 2, P95: 3, P99: 4, Max: 5}, Tick: Spread{P50: 0.2, P99: 0.3, Max: 0.4}},
		},
	}
}

// keysOf flattens a decoded JSON object one level deep as "a" and "a.b".
func keysOf(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
		if sub, ok := v.(map[string]any); ok {
			for sk, sv := range sub {
				out[k+"."+sk] = sv
			}
		}
	}
	return out
}

func TestJSONHasTheFixedKeys(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{name: "report", v: sampleReport()},
		{name: "capacity", v: &Capacity{Report: sampleReport(), CapacityBots: 20, Steps: []Step{StepOf(sampleReport())}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.json")
			require.NoError(t, WriteJSON(path, tt.v))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			keys := keysOf(t, data)
			for _, k := range RequiredKeys() {
				require.Contains(t, keys, k)
				if k == "kept_up" {
					assert.IsType(t, true, keys[k])
				} else {
					assert.IsType(t, 0.0, keys[k], "%s is a number", k)
				}
			}
			assert.NotContains(t, keys, "Series", "the series is for plots only")
		})
	}
}

func TestTables(t *testing.T) {
	var sb strings.Builder
	r := sampleReport()
	require.NoError(t, r.WriteTable(&sb))
	assert.Contains(t, sb.String(), "input latency (ms)")
	assert.Contains(t, sb.String(), "kept up: yes")
	assert.Contains(t, sb.String(), "4008=1")
	assert.Contains(t, sb.String(), "bots:   CPU 0.0% (this process), RSS 0.0 MB (0.0 KB per connected bot)")

	r.BotsCPUPct, r.BotsRSSMB, r.BotsRSSPerBotKB = 55.5, 31.2, 15.4
	sb.Reset()
	require.NoError(t, r.WriteTable(&sb))
	assert.Contains(t, sb.String(), "bots:   CPU 55.5% (this process), RSS 31.2 MB (15.4 KB per connected bot)")

	r.KeptUp, r.NotKeptUp = false, []string{"3 errors"}
	sb.Reset()
	require.NoError(t, r.WriteTable(&sb))
	assert.Contains(t, sb.String(), "kept up: NO (3 errors)")

	sb.Reset()
	c := &Capacity{Report: r, CapacityBots: 100, Steps: []Step{{Bots: 100, KeptUp: true}, {Bots: 200}}}
	require.NoError(t, c.WriteTable(&sb))
	assert.Contains(t, sb.String(), "capacity: 100 bots")
}

func TestPlots(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		file    string
		draw    func(path string) error
		prefix  string
		wantErr bool
	}{
		{name: "series png", file: "s.png", draw: func(p string) error { return PlotSeries(p, "t", sampleReport().Series) }, prefix: "\x89PNG"},
		{name: "series html", file: "s.html", draw: func(p string) error { return PlotSeries(p, "t", sampleReport().Series) }, prefix: "<!doctype html>"},
		{name: "capacity svg", file: "c.svg", draw: func(p string) error {
			return PlotCapacity(p, "c", []Step{{Bots: 100, InputLatencyP99: 30}, {Bots: 200, InputLatencyP99: 60}})
		}, prefix: "<?xml"},
		{name: "soak png", file: "k.png", draw: func(p string) error {
			return PlotSoak(p, "soak", &Soak{Report: sampleReport(), Samples: []SoakSample{
				{T: 0, Values: map[string]float64{"rss_mb": 40, "heap_inuse_mb": 10, "goroutines": 600, "open_fds": 310}},
				{T: 5, Values: map[string]float64{"rss_mb": 41, "goroutines": 601}},
			}})
		}, prefix: "\x89PNG"},
		{name: "unknown extension", file: "s.gif", draw: func(p string) error { return PlotSeries(p, "t", nil) }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			err := tt.draw(path)
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrPlotFormat)
				return
			}
			require.NoError(t, err)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(data), tt.prefix), "starts with %q", tt.prefix)
		})
	}
}

func TestSoakTable(t *testing.T) {
	tests := []struct {
		name string
		soak *Soak
		want []string
	}{
		{name: "flat", soak: &Soak{Report: sampleReport(), Flat: true, Resources: []Flatness{
			{Resource: "rss_mb", Unit: "MB", Source: "/proc", Measured: true, Start: 40, End: 41, SlopePerMin: 0.1, Allowed: 16, Flat: true},
			{Resource: "goroutines", Source: "/metrics", Measured: true, Start: 600, End: 601, Allowed: 30, Flat: true},
		}}, want: []string{"rss_mb (MB) /proc", "40.0", "41.0", "+0.10", "flat", "flat: yes"}},
		{name: "leaking", soak: &Soak{Report: sampleReport(), NotFlat: []string{"open_fds grew 300"}, Resources: []Flatness{
			{Resource: "open_fds", Source: "/proc", Measured: true, Start: 300, End: 600, SlopePerMin: 30, Allowed: 15},
		}}, want: []string{"GROWS", "flat: NO (open_fds grew 300)"}},
		{name: "not measured", soak: &Soak{Report: sampleReport(), Flat: true, Resources: []Flatness{
			{Resource: "heap_inuse_mb", Unit: "MB", Flat: true},
		}}, want: []string{"heap_inuse_mb (MB)", "n/a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sb strings.Builder
			require.NoError(t, tt.soak.WriteTable(&sb))
			for _, w := range tt.want {
				assert.Contains(t, sb.String(), w)
			}
			assert.Contains(t, sb.String(), "kept up:", "the run's own table comes first")
		})
	}
}

func TestSoakJSON(t *testing.T) {
	s := &Soak{Report: sampleReport(), Flat: false, Samples: []SoakSample{{T: 5, Bots: 20, Values: map[string]float64{"rss_mb": 40}}}}
	path := filepath.Join(t.TempDir(), "s.json")
	require.NoError(t, WriteJSON(path, s))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	keys := keysOf(t, data)
	for _, k := range RequiredKeys() {
		assert.Contains(t, keys, k)
	}
	assert.Equal(t, false, keys["flat"])
	assert.Contains(t, keys, "soak_samples")
	assert.Contains(t, keys, "churn.resumes")
}
