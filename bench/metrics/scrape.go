package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// ErrNotFound is returned when a scrape lacks a metric the bench needs.
var ErrNotFound = errors.New("metrics: metric not found")

// maxPageBytes bounds how much of a /metrics page is read.
const maxPageBytes = 8 << 20

// Sample is one parsed scrape.
type Sample struct {
	families map[string]*dto.MetricFamily
}

// Parse reads a text-format exposition.
func Parse(r io.Reader) (Sample, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return Sample{}, fmt.Errorf("metrics: parse: %w", err)
	}
	return Sample{families: fams}, nil
}

// Scrape fetches and parses url.
func Scrape(ctx context.Context, client *http.Client, url string) (Sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Sample{}, fmt.Errorf("metrics: %w", err)
	}
	// The text format is what the parser reads; ask for it explicitly.
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := client.Do(req)
	if err != nil {
		return Sample{}, fmt.Errorf("metrics: scrape: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Sample{}, fmt.Errorf("metrics: scrape: status %d", resp.StatusCode)
	}
	return Parse(io.LimitReader(resp.Body, maxPageBytes))
}

// Histogram returns the named histogram, summed over all label sets.
func (s Sample) Histogram(name string) (Histogram, error) {
	fam, ok := s.families[name]
	if !ok || fam.GetType() != dto.MetricType_HISTOGRAM {
		return Histogram{}, fmt.Errorf("%w: histogram %s", ErrNotFound, name)
	}
	byUpper := map[float64]uint64{}
	var h Histogram
	for _, m := range fam.GetMetric() {
		hist := m.GetHistogram()
		h.Count += hist.GetSampleCount()
		h.Sum += hist.GetSampleSum()
		for _, b := range hist.GetBucket() {
			byUpper[b.GetUpperBound()] += b.GetCumulativeCount()
		}
	}
	// The text format may omit the +Inf bucket line's twin in the model; the
	// sample count is the +Inf bucket by definition.
	byUpper[math.Inf(1)] = h.Count
	for up, n := range byUpper {
		h.Buckets = append(h.Buckets, Bucket{Upper: up, Count: n})
	}
	sort.Slice(h.Buckets, func(i, j int) bool { return h.Buckets[i].Upper < h.Buckets[j].Upper })
	return h, nil
}

// Value returns the named counter or gauge, summed over all label sets, and
// whether it was present.
func (s Sample) Value(name string) (float64, bool) {
	fam, ok := s.families[name]
	if !ok {
		return 0, false
	}
	var v float64
	for _, m := range fam.GetMetric() {
		switch {
		case m.Counter != nil:
			v += m.GetCounter().GetValue()
		case m.Gauge != nil:
			v += m.GetGauge().GetValue()
		case m.Untyped != nil:
			v += m.GetUntyped().GetValue()
		}
	}
	return v, true
}
