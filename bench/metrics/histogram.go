package metrics

import (
	"math"
	"sort"
)

// Bucket is one cumulative histogram bucket: Count observations <= Upper.
type Bucket struct {
	Upper float64
	Count uint64
}

// Histogram is a cumulative Prometheus histogram, buckets sorted by Upper,
// the last one usually +Inf.
type Histogram struct {
	Buckets []Bucket
	Count   uint64
	Sum     float64
}

// Sub returns h - prev: the histogram of the observations made between two
// scrapes. Buckets are matched by upper bound; a bucket missing from prev
// counts as empty there.
func (h Histogram) Sub(prev Histogram) Histogram {
	out := Histogram{Buckets: make([]Bucket, len(h.Buckets)), Count: h.Count - min(prev.Count, h.Count), Sum: h.Sum - prev.Sum}
	j := 0
	for i, b := range h.Buckets {
		for j < len(prev.Buckets) && prev.Buckets[j].Upper < b.Upper {
			j++
		}
		var before uint64
		if j < len(prev.Buckets) && prev.Buckets[j].Upper == b.Upper {
			before = prev.Buckets[j].Count
		}
		out.Buckets[i] = Bucket{Upper: b.Upper, Count: b.Count - min(before, b.Count)}
	}
	return out
}

// Total is the number of observations in the buckets.
func (h Histogram) Total() uint64 {
	if len(h.Buckets) == 0 {
		return 0
	}
	return h.Buckets[len(h.Buckets)-1].Count
}

// Quantile estimates the q-quantile (0 < q <= 1) the way PromQL's
// histogram_quantile does: linear interpolation inside the bucket holding
// the rank, from 0 for the first bucket. A rank in the +Inf bucket returns
// the highest finite bound. An empty histogram gives 0.
func (h Histogram) Quantile(q float64) float64 {
	total := h.Total()
	if total == 0 {
		return 0
	}
	rank := q * float64(total)
	i := sort.Search(len(h.Buckets), func(i int) bool { return float64(h.Buckets[i].Count) >= rank })
	if i >= len(h.Buckets) {
		i = len(h.Buckets) - 1
	}
	if math.IsInf(h.Buckets[i].Upper, 1) {
		return h.highestFinite()
	}
	lo, below := 0.0, uint64(0)
	if i > 0 {
		lo, below = h.Buckets[i-1].Upper, h.Buckets[i-1].Count
	}
	in := h.Buckets[i].Count - below
	if in == 0 {
		return h.Buckets[i].Upper
	}
	return lo + (h.Buckets[i].Upper-lo)*(rank-float64(below))/float64(in)
}

// Max is the upper bound of the highest bucket that holds an observation
// (the highest finite bound when that bucket is +Inf), or 0 when empty.
func (h Histogram) Max() float64 {
	below := uint64(0)
	top := -1
	for i, b := range h.Buckets {
		if b.Count > below {
			top = i
		}
		below = b.Count
	}
	if top < 0 {
		return 0
	}
	if math.IsInf(h.Buckets[top].Upper, 1) {
		return h.highestFinite()
	}
	return h.Buckets[top].Upper
}

func (h Histogram) highestFinite() float64 {
	for i := len(h.Buckets) - 1; i >= 0; i-- {
		if !math.IsInf(h.Buckets[i].Upper, 1) {
			return h.Buckets[i].Upper
		}
	}
	return 0
}
