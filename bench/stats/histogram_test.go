package stats

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBucketsTileTheRange(t *testing.T) {
	// Every bucket starts where the previous one ended, and every value maps
	// to the bucket whose bounds hold it, within 1/32 relative width.
	var prevHi uint64
	for i := range NumBuckets {
		lo, hi := bucketBounds(i)
		require.Equal(t, prevHi, lo, "bucket %d", i)
		require.Greater(t, hi, lo)
		if lo >= subBuckets {
			assert.LessOrEqual(t, float64(hi-lo)/float64(lo), 1.0/subBuckets, "bucket %d", i)
		}
		require.Equal(t, i, bucketOf(lo))
		require.Equal(t, i, bucketOf(hi-1))
		prevHi = hi
	}
	assert.Equal(t, NumBuckets-1, bucketOf(1<<62), "values past the range land in the last bucket")
}

func TestQuantiles(t *testing.T) {
	tests := []struct {
		name   string
		values []time.Duration
		q      float64
		want   time.Duration
		relTol float64
	}{
		{name: "single", values: []time.Duration{5 * time.Millisecond}, q: 0.5, want: 5 * time.Millisecond, relTol: 0.04},
		{name: "small exact", values: []time.Duration{3 * time.Microsecond, 7 * time.Microsecond}, q: 1, want: 7 * time.Microsecond},
		{name: "uniform median", values: uniform(10_000), q: 0.5, want: 5 * time.Millisecond, relTol: 0.04},
		{name: "uniform p99", values: uniform(10_000), q: 0.99, want: 9900 * time.Microsecond, relTol: 0.04},
		{name: "uniform p100", values: uniform(10_000), q: 1, want: 10 * time.Millisecond, relTol: 0.04},
		{name: "tail", values: append(repeat(time.Millisecond, 98), 100*time.Millisecond, 200*time.Millisecond), q: 0.99, want: 100 * time.Millisecond, relTol: 0.04},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Histogram
			for _, v := range tt.values {
				h.Record(v)
			}
			got := h.Snapshot(nil).Quantile(tt.q)
			assert.InEpsilon(t, float64(tt.want), float64(got), max(tt.relTol, 1e-9), "got %v want %v", got, tt.want)
		})
	}
}

func TestEmptyAndNegative(t *testing.T) {
	var h Histogram
	c := h.Snapshot(nil)
	assert.Zero(t, c.Quantile(0.99))
	assert.Zero(t, c.Max())
	assert.Zero(t, c.Summarize(0))
	h.Record(-time.Second)
	assert.Equal(t, uint64(1), h.Snapshot(nil)[0], "negative durations count as zero")
}

func TestSubGivesTheWindow(t *testing.T) {
	var h Histogram
	for range 100 {
		h.Record(time.Millisecond)
	}
	before := h.Snapshot(nil)
	for range 100 {
		h.Record(50 * time.Millisecond)
	}
	window := h.Snapshot(nil).Sub(before, nil)
	assert.Equal(t, uint64(100), window.Total())
	assert.InEpsilon(t, float64(50*time.Millisecond), float64(window.Quantile(0.01)), 0.04)
}

func TestTakeMaxAndSummarize(t *testing.T) {
	var h Histogram
	h.Record(2 * time.Millisecond)
	h.Record(9*time.Millisecond + 123*time.Microsecond)
	exact := h.TakeMax()
	assert.Equal(t, 9*time.Millisecond+123*time.Microsecond, exact)
	assert.Zero(t, h.TakeMax(), "TakeMax starts a new interval")

	s := h.Snapshot(nil).Summarize(exact)
	assert.Equal(t, exact, s.Max)
	assert.LessOrEqual(t, s.P50, s.P95)
	assert.LessOrEqual(t, s.P95, s.P99)
	assert.LessOrEqual(t, s.P99, s.Max, "percentiles are capped at the exact max")
	assert.Equal(t, uint64(2), s.Count)
}

func TestConcurrentRecord(t *testing.T) {
	var h Histogram
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				h.Record(time.Duration(g*1000+i) * time.Microsecond)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, uint64(8000), h.Snapshot(nil).Total())
	assert.Equal(t, 7999*time.Microsecond, h.TakeMax())
}

func BenchmarkRecord(b *testing.B) {
	var h Histogram
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		d := time.Duration(0)
		for pb.Next() {
			d = (d + 7919*time.Microsecond) % time.Second
			h.Record(d)
		}
	})
}

func uniform(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(i+1) * time.Microsecond
	}
	return out
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

// Merging the histograms of several recorders gives the histogram of one
// that recorded everything: the same counts, so the same quantiles.
func TestMergeIsExact(t *testing.T) {
	var parts [3]Histogram
	var whole Histogram
	for i := range 3000 {
		d := time.Duration(i*i%7919) * time.Microsecond
		parts[i%3].Record(d)
		whole.Record(d)
	}
	var merged Histogram
	var sum Counts
	for i := range parts {
		c := parts[i].Snapshot(nil)
		require.NoError(t, merged.Merge(c, parts[i].TakeMax()))
		sum = sum.Add(c, sum) // in place, as a merge of samples does
	}
	want := whole.Snapshot(nil)
	assert.Equal(t, want, merged.Snapshot(nil))
	assert.Equal(t, want, sum)
	for _, q := range []float64{0.5, 0.99, 1} {
		assert.Equal(t, want.Quantile(q), merged.Snapshot(nil).Quantile(q), "q %v", q)
	}
	assert.Equal(t, whole.TakeMax(), merged.TakeMax(), "the exact maximum")
	assert.Error(t, merged.Merge(make(Counts, 3), 0), "counts of another layout")
}
