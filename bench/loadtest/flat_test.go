package loadtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// series is a 10-minute soak sampled every 5 s: v(t) for t = 0, 5, ... 600.
func series(v func(t float64) float64) (ts, vs []float64) {
	for t := 0.0; t <= 600; t += 5 {
		ts, vs = append(ts, t), append(vs, v(t))
	}
	return ts, vs
}

func TestFlatness(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(amp float64) float64 { return amp * (2*rng.Float64() - 1) }
	tol := tolerance{abs: 10, rel: 0.05} // goroutines' tolerance: 10 at 100
	tests := []struct {
		name     string
		v        func(t float64) float64
		flat     bool
		measured bool
	}{
		{name: "constant", v: func(float64) float64 { return 100 }, flat: true, measured: true},
		{name: "noise within tolerance", v: func(float64) float64 { return 100 + noise(8) }, flat: true, measured: true},
		{name: "sawtooth like a GC heap", v: func(t float64) float64 { return 100 + 8*math.Mod(t, 45)/45 }, flat: true, measured: true},
		{name: "falling", v: func(t float64) float64 { return 200 - t/10 }, flat: true, measured: true},
		{name: "one goroutine leaked per churn cycle", v: func(t float64) float64 { return 100 + 2*t }, flat: false, measured: true},
		{name: "slow leak under noise", v: func(t float64) float64 { return 100 + t/30 + noise(5) }, flat: false, measured: true},
		{name: "step up halfway", v: func(t float64) float64 { return 100 + 50*float64(int(t/300)) }, flat: false, measured: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, vs := series(tt.v)
			f := flatness("goroutines", "", tol, ts, vs, 60)
			assert.Equal(t, tt.measured, f.Measured)
			assert.Equal(t, tt.flat, f.Flat, "growth %.2f, projected %.2f, allowed %.2f", f.Growth, f.Projected, f.Allowed)
			if !tt.flat {
				assert.Contains(t, why(f), "goroutines grew")
			}
		})
	}
}

func TestFlatnessFigures(t *testing.T) {
	ts, vs := series(func(t float64) float64 { return 50 + t/60 }) // 1 a minute
	f := flatness("rss_mb", "MB", tolerance{abs: 16, rel: 0.1}, ts, vs, 60)
	require.True(t, f.Measured)
	assert.InDelta(t, 1.0, f.SlopePerMin, 1e-9)
	assert.InDelta(t, 10.0, f.Projected, 1e-9, "ten minutes at 1 a minute")
	assert.InDelta(t, 50.5, f.Start, 1e-9, "median of t = 0..60")
	assert.InDelta(t, 59.5, f.End, 1e-9, "median of t = 540..600")
	assert.InDelta(t, 16.0, f.Allowed, 1e-9, "the absolute part: 10% of 50.5 is less")
	assert.True(t, f.Flat, "10 MB in ten minutes is within 16")
}

func TestFlatnessNeedsSamples(t *testing.T) {
	tests := []struct {
		name   string
		ts, vs []float64
	}{
		{name: "none"},
		{name: "one", ts: []float64{0}, vs: []float64{1}},
		{name: "mismatched", ts: []float64{0, 1, 2}, vs: []float64{1, 2}},
		{name: "one per window", ts: []float64{0, 100}, vs: []float64{1, 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := flatness("open_fds", "", tolerance{abs: 10}, tt.ts, tt.vs, 60)
			assert.False(t, f.Measured)
			assert.True(t, f.Flat, "unknown is shown as n/a, not as a failure")
		})
	}
}

func TestTolerance(t *testing.T) {
	tol := tolerance{abs: 16, rel: 0.1}
	assert.Equal(t, 16.0, tol.allowed(40), "small: the absolute floor")
	assert.Equal(t, 50.0, tol.allowed(500), "large: the share")
}

func TestMedianAndSlope(t *testing.T) {
	assert.Equal(t, 2.0, median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))
	assert.InDelta(t, 2.0, leastSquaresSlope([]float64{0, 1, 2, 3}, []float64{1, 3, 5, 7}), 1e-12)
	assert.Zero(t, leastSquaresSlope([]float64{5, 5}, []float64{1, 9}))
}
