package stats

import "time"

// Summary is the usual percentile set of one distribution.
type Summary struct {
	P50, P95, P99, Max time.Duration
	Count              uint64
}

// Summarize computes c's percentiles. exactMax, when positive, replaces the
// bucket-resolution maximum and caps the percentiles, so that p50 <= p99 <=
// max holds even though percentiles are bucket midpoints.
func (c Counts) Summarize(exactMax time.Duration) Summary {
	s := Summary{P50: c.Quantile(0.50), P95: c.Quantile(0.95), P99: c.Quantile(0.99), Max: c.Max(), Count: c.Total()}
	if exactMax > 0 {
		s.Max = exactMax
		s.P50, s.P95, s.P99 = min(s.P50, exactMax), min(s.P95, exactMax), min(s.P99, exactMax)
	}
	return s
}
