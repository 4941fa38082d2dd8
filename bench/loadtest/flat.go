package loadtest

import (
	"fmt"
	"slices"

	"github.com/skirmish-game/skirmish/bench/report"
)

// tolerance is how much a resource may grow over a soak and still count as
// flat: the larger of an absolute amount and a share of where it started.
// The absolute part keeps a small server's noise (a GC cycle, a few
// connections of churn in flight) from failing it; the share scales with
// the load.
type tolerance struct {
	abs float64 // in the resource's unit
	rel float64 // of the start median
}

func (t tolerance) allowed(start float64) float64 { return max(t.abs, t.rel*start) }

// flatness judges one resource from its samples (ts in seconds, ascending,
// with vs beside them). It compares the median of the first window seconds
// with that of the last, and fits a least-squares line through all of them:
// the resource is flat when neither the median's growth nor the line's rise
// over the span sampled exceeds the tolerance. Medians ignore a spike at
// either end; the line catches a steady leak that the noise of two windows
// might hide. Fewer than two samples in either window are not enough to
// judge, and the result says so (Measured false, Flat true: unknown is not
// a failure, but the table shows n/a).
func flatness(name, unit string, tol tolerance, ts, vs []float64, window float64) report.Flatness {
	f := report.Flatness{Resource: name, Unit: unit, Flat: true}
	if len(ts) != len(vs) || len(ts) < 2 {
		return f
	}
	first, last := ts[0], ts[len(ts)-1]
	var head, tail []float64
	for i, t := range ts {
		if t <= first+window {
			head = append(head, vs[i])
		}
		if t >= last-window {
			tail = append(tail, vs[i])
		}
	}
	if len(head) < 2 || len(tail) < 2 {
		return f
	}
	f.Measured = true
	f.Start, f.End = median(head), median(tail)
	f.Growth = f.End - f.Start
	slope := leastSquaresSlope(ts, vs) // per second
	f.SlopePerMin = slope * 60
	f.Projected = slope * (last - first)
	f.Allowed = tol.allowed(f.Start)
	f.Flat = f.Growth <= f.Allowed && f.Projected <= f.Allowed
	round := func(x *float64) { *x = report.Round(*x, 3) }
	for _, x := range []*float64{&f.Start, &f.End, &f.Growth, &f.SlopePerMin, &f.Projected, &f.Allowed} {
		round(x)
	}
	return f
}

// why says how f failed, for the report's not_flat list.
func why(f report.Flatness) string {
	unit := ""
	if f.Unit != "" {
		unit = " " + f.Unit
	}
	return fmt.Sprintf("%s grew %.1f%s (median %.1f -> %.1f, slope %+.2f/min, %.1f over the run) > %.1f allowed",
		f.Resource, max(f.Growth, f.Projected), unit, f.Start, f.End, f.SlopePerMin, f.Projected, f.Allowed)
}

func median(vs []float64) float64 {
	s := slices.Sorted(slices.Values(vs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// leastSquaresSlope fits v = a + b*t and returns b; 0 when every t is the
// same.
func leastSquaresSlope(ts, vs []float64) float64 {
	n := float64(len(ts))
	var mt, mv float64
	for i := range ts {
		mt += ts[i]
		mv += vs[i]
	}
	mt, mv = mt/n, mv/n
	var num, den float64
	for i := range ts {
		dt := ts[i] - mt
		num += dt * (vs[i] - mv)
		den += dt * dt
	}
	if den == 0 {
		return 0
	}
	return num / den
}
