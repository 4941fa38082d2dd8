package metrics

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
)

// page builds an exposition with a tick histogram of the given cumulative
// bucket counts over bounds 1ms, 2ms, 5ms, 10ms, +Inf.
func page(counts [5]int, overruns int) string {
	return strings.NewReplacer(
		"B1", itoa(counts[0]), "B2", itoa(counts[1]), "B3", itoa(counts[2]), "B4", itoa(counts[3]), "BI", itoa(counts[4]),
		"OV", itoa(overruns),
	).Replace(`# HELP skirmish_tick_duration_seconds Time one room tick takes.
# TYPE skirmish_tick_duration_seconds histogram
skirmish_tick_duration_seconds_bucket{le="0.001"} B1
skirmish_tick_duration_seconds_bucket{le="0.002"} B2
skirmish_tick_duration_seconds_bucket{le="0.005"} B3
skirmish_tick_duration_seconds_bucket{le="0.01"} B4
skirmish_tick_duration_seconds_bucket{le="+Inf"} BI
skirmish_tick_duration_seconds_sum 0.5
skirmish_tick_duration_seconds_count BI
# HELP skirmish_tick_overruns_total Ticks skipped.
# TYPE skirmish_tick_overruns_total counter
skirmish_tick_overruns_total OV
# HELP skirmish_connections_closed_total Closes by code.
# TYPE skirmish_connections_closed_total counter
skirmish_connections_closed_total{code="1000"} 3
skirmish_connections_closed_total{code="4008"} 2
# HELP skirmish_players Players.
# TYPE skirmish_players gauge
skirmish_players 42
`)
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestParseHistogramAndValues(t *testing.T) {
	s, err := Parse(strings.NewReader(page([5]int{10, 20, 30, 40, 40}, 7)))
	require.NoError(t, err)
	h, err := s.Histogram(engine.MetricTickDuration)
	require.NoError(t, err)
	require.Len(t, h.Buckets, 5)
	assert.Equal(t, Bucket{Upper: 0.001, Count: 10}, h.Buckets[0])
	assert.True(t, math.IsInf(h.Buckets[4].Upper, 1))
	assert.Equal(t, uint64(40), h.Total())

	v, ok := s.Value(engine.MetricTickOverruns)
	assert.True(t, ok)
	assert.Equal(t, 7.0, v)
	v, ok = s.Value(engine.MetricConnsClosed)
	assert.True(t, ok)
	assert.Equal(t, 5.0, v, "label sets are summed")
	v, ok = s.Value(engine.MetricPlayers)
	assert.True(t, ok)
	assert.Equal(t, 42.0, v)
	_, ok = s.Value("nope")
	assert.False(t, ok)

	_, err = s.Histogram("nope")
	assert.ErrorIs(t, err, ErrNotFound)
	_, err = s.Histogram(engine.MetricTickOverruns)
	assert.ErrorIs(t, err, ErrNotFound, "a counter is not a histogram")
}

func TestParseRejectsGarbage(t *testing.T) {
	_, err := Parse(strings.NewReader("this is { not metrics\n"))
	assert.Error(t, err)
}

func TestWindowQuantiles(t *testing.T) {
	start, err := Parse(strings.NewReader(page([5]int{100, 100, 100, 100, 100}, 0)))
	require.NoError(t, err)
	// In the window: 50 ticks <= 1ms, 40 in (1,2]ms, 10 in (5,10]ms.
	end, err := Parse(strings.NewReader(page([5]int{150, 190, 190, 200, 200}, 0)))
	require.NoError(t, err)
	hs, err := start.Histogram(engine.MetricTickDuration)
	require.NoError(t, err)
	he, err := end.Histogram(engine.MetricTickDuration)
	require.NoError(t, err)
	w := he.Sub(hs)

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{name: "p50 at the top of the first bucket", got: w.Quantile(0.5), want: 0.001},
		{name: "p70 interpolated in the second", got: w.Quantile(0.7), want: 0.0015},
		{name: "p95 interpolated in the fourth", got: w.Quantile(0.95), want: 0.0075},
		{name: "max is the highest bucket with a count", got: w.Max(), want: 0.01},
		{name: "empty window", got: hs.Sub(hs).Quantile(0.99), want: 0},
		{name: "empty window max", got: hs.Sub(hs).Max(), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, tt.got, 1e-12)
		})
	}
}

func TestInfBucketReportsHighestFiniteBound(t *testing.T) {
	h := Histogram{Buckets: []Bucket{{0.001, 0}, {0.01, 0}, {math.Inf(1), 5}}, Count: 5}
	assert.Equal(t, 0.01, h.Quantile(0.99))
	assert.Equal(t, 0.01, h.Max())
}

func TestScrape(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(page([5]int{1, 2, 3, 4, 5}, 1)))
	}))
	defer srv.Close()

	s, err := Scrape(context.Background(), srv.Client(), srv.URL+"/metrics")
	require.NoError(t, err)
	h, err := s.Histogram(engine.MetricTickDuration)
	require.NoError(t, err)
	assert.Equal(t, uint64(5), h.Total())

	_, err = Scrape(context.Background(), srv.Client(), srv.URL+"/other")
	assert.Error(t, err)
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(page([5]int{1, 2, 3, 4, 5}, 1)))
	f.Add([]byte("# TYPE x histogram\nx_bucket{le=\"1\"} 1\nx_count 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		for name := range s.families {
			// Whatever the page holds, reading it must not panic.
			if h, err := s.Histogram(name); err == nil {
				_, _ = h.Quantile(0.99), h.Max()
				assert.Zero(t, h.Sub(h).Total())
			}
			_, _ = s.Value(name)
		}
	})
}
