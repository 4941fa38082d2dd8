package stats

import (
	"fmt"
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// The bucket layout is HDR-style: values below 2^subBits microseconds get a
// bucket each, then every power of two is split into 2^subBits equal buckets,
// so a bucket is never wider than 1/2^subBits (about 3%) of its lower bound.
const (
	subBits    = 5
	subBuckets = 1 << subBits
	// maxBits bounds the largest recordable value at 2^maxBits µs (about 19
	// minutes); larger values land in the last bucket.
	maxBits = 40
	// NumBuckets is the length of a Counts.
	NumBuckets = (maxBits - subBits + 1) * subBuckets
)

// Histogram counts durations at microsecond resolution into fixed log-linear
// buckets. Record is safe for concurrent use and never allocates.
type Histogram struct {
	counts [NumBuckets]atomic.Uint64
	max    atomic.Int64 // µs; reset by TakeMax
}

// Record adds one duration. Negative durations count as zero.
func (h *Histogram) Record(d time.Duration) {
	us := max(d.Microseconds(), 0)
	h.counts[bucketOf(uint64(us))].Add(1)
	h.raiseMax(us)
}

// raiseMax makes the interval's maximum at least us.
func (h *Histogram) raiseMax(us int64) {
	for {
		cur := h.max.Load()
		if us <= cur || h.max.CompareAndSwap(cur, us) {
			return
		}
	}
}

// Snapshot copies the cumulative counts into dst, reusing its storage.
func (h *Histogram) Snapshot(dst Counts) Counts {
	if cap(dst) < NumBuckets {
		dst = make(Counts, NumBuckets)
	}
	dst = dst[:NumBuckets]
	for i := range h.counts {
		dst[i] = h.counts[i].Load()
	}
	return dst
}

// TakeMax returns the largest duration recorded since the previous TakeMax and
// starts a new interval. A single reader calls it on a fixed period so that
// interval maxima can be combined into the exact maximum of a window.
func (h *Histogram) TakeMax() time.Duration {
	return time.Duration(h.max.Swap(0)) * time.Microsecond
}

// bucketOf maps a value in µs to its bucket index.
func bucketOf(v uint64) int {
	if v < subBuckets {
		return int(v)
	}
	n := bits.Len64(v) // v in [2^(n-1), 2^n)
	if n > maxBits {
		return NumBuckets - 1
	}
	shift := n - 1 - subBits
	return (n-subBits)*subBuckets + int(v>>shift) - subBuckets
}

// bucketBounds returns bucket i's range [lo, hi) in µs.
func bucketBounds(i int) (lo, hi uint64) {
	if i < subBuckets {
		return uint64(i), uint64(i) + 1
	}
	octave, sub := i/subBuckets, i%subBuckets
	width := uint64(1) << (octave - 1)
	lo = uint64(subBuckets+sub) * width
	return lo, lo + width
}

// Counts is a snapshot of a Histogram's buckets. Subtracting two snapshots
// gives the distribution of what was recorded between them.
type Counts []uint64

// Sub returns c - prev bucket by bucket, into dst. A nil prev means zero.
func (c Counts) Sub(prev Counts, dst Counts) Counts {
	dst = append(dst[:0], c...)
	for i := range prev {
		if i < len(dst) {
			dst[i] -= prev[i]
		}
	}
	return dst
}

// Total is the number of recorded values.
func (c Counts) Total() uint64 {
	var n uint64
	for _, v := range c {
		n += v
	}
	return n
}

// Quantile returns the q-quantile (0 < q <= 1) as the midpoint of the bucket
// holding it, or 0 when c is empty.
func (c Counts) Quantile(q float64) time.Duration {
	total := c.Total()
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	rank = min(max(rank, 1), total)
	var seen uint64
	for i, v := range c {
		seen += v
		if seen >= rank {
			lo, hi := bucketBounds(i)
			return time.Duration(lo+hi-1) * time.Microsecond / 2
		}
	}
	return 0
}

// Max returns the upper bound of the highest non-empty bucket, or 0.
func (c Counts) Max() time.Duration {
	for i := len(c) - 1; i >= 0; i-- {
		if c[i] > 0 {
			_, hi := bucketBounds(i)
			return time.Duration(hi-1) * time.Microsecond
		}
	}
	return 0
}

// Merge adds the counts of another histogram's snapshot c, and its exact
// maximum mx, as if they had been recorded here: merging the histograms of
// workers that measured apart gives exactly the histogram one process would
// have, so quantiles of the merge are exact, not averages of quantiles.
// Counts of another length are an error, not guessed at.
func (h *Histogram) Merge(c Counts, mx time.Duration) error {
	if len(c) != 0 && len(c) != NumBuckets {
		return fmt.Errorf("stats: merge of %d buckets, want %d", len(c), NumBuckets)
	}
	for i, v := range c {
		h.counts[i].Add(v)
	}
	h.raiseMax(max(mx.Microseconds(), 0))
	return nil
}

// Add returns c + o bucket by bucket, into dst; a nil side counts as zero.
func (c Counts) Add(o Counts, dst Counts) Counts {
	n := max(len(c), len(o))
	if cap(dst) < n {
		dst = make(Counts, n)
	}
	dst = dst[:n]
	// Index by index, reading before writing, so that dst may be c or o.
	for i := range dst {
		var v uint64
		if i < len(c) {
			v = c[i]
		}
		if i < len(o) {
			v += o[i]
		}
		dst[i] = v
	}
	return dst
}
