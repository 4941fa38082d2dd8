package loadtest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/skirmish-game/skirmish/bench/metrics"
	"github.com/skirmish-game/skirmish/bench/procstat"
	"github.com/skirmish-game/skirmish/bench/report"
	"github.com/skirmish-game/skirmish/server/engine"
)

// ErrNotFlat is returned by Execute after a soak in which a resource grew
// past its tolerance; the report has been written by then.
var ErrNotFlat = errors.New("loadtest: soak: a server resource did not stay flat")

// Soak defaults.
const (
	DefaultSoakDuration = 10 * time.Minute
	DefaultSoakEvery    = 5 * time.Second
	DefaultSoakWarmup   = 2 * time.Minute
	// DefaultSoakChurn cycles one bot every half second: 120 a minute, so
	// each of 300 bots leaves and comes back about four times in ten
	// minutes, half of them resuming with their token.
	DefaultSoakChurn = 500 * time.Millisecond
	// soakWindow is how long the soak's first and last stretches are, each
	// summarized by its median; a shorter run compares its thirds.
	soakWindow = time.Minute
	// minSoakSamples is how many samples each compared stretch needs.
	minSoakSamples = 2
)

// Sources of a resource's figure.
const (
	sourceProc    = "/proc"
	sourceMetrics = "/metrics"
)

const mib = 1 << 20

// soakResources are what a soak watches, with their tolerances. The child's
// RSS and descriptors come from its /proc; goroutines and the heap only from
// /metrics (Prometheus' Go collector), which is also where an external
// server's RSS and descriptors come from (its process collector).
var soakResources = [...]struct {
	key, unit string
	tol       tolerance
	metric    string
	scale     float64
}{
	// RSS: a Go heap that settles after the ramp may still take a few MB from
	// the OS; 16 MB or 10% is far below what a per-connection leak under
	// churn reaches in ten minutes.
	{key: "rss_mb", unit: "MB", tol: tolerance{abs: 16, rel: 0.10}, metric: engine.MetricResidentMemory, scale: mib},
	// Heap in use swings with each GC cycle (up to GOGC=100% above the live
	// heap); medians smooth that, and the share is wider than RSS's.
	{key: "heap_inuse_mb", unit: "MB", tol: tolerance{abs: 16, rel: 0.25}, metric: engine.MetricHeapInuse, scale: mib},
	// Goroutines and descriptors are per connection: churn has a few
	// connections in flight at any instant, and 10 or 5% covers them, while
	// one leaked per cycle is thousands.
	{key: "goroutines", unit: "", tol: tolerance{abs: 10, rel: 0.05}, metric: engine.MetricGoroutines, scale: 1},
	{key: "open_fds", unit: "", tol: tolerance{abs: 10, rel: 0.05}, metric: engine.MetricOpenFDs, scale: 1},
}

// soakRecorder takes a soak sample every so often over the steady window.
type soakRecorder struct {
	every     time.Duration
	pid       int // the child server; 0 = external, everything from /metrics
	next      time.Time
	start     time.Time
	metrics   metrics.Sample // the newest scrape seen
	scrapedAt time.Time      // when; zero = none yet
	samples   []report.SoakSample
}

// observe is called with every one-second sample of the steady window.
func (s *soakRecorder) observe(cur *sample, windowStart time.Time) {
	if cur.metricsOK {
		s.metrics, s.scrapedAt = cur.metrics, cur.at
	}
	if s.start.IsZero() {
		s.start, s.next = windowStart, windowStart
	}
	if cur.at.Before(s.next) {
		return
	}
	for !s.next.After(cur.at) {
		s.next = s.next.Add(s.every)
	}
	sm := report.SoakSample{T: report.Round(cur.at.Sub(s.start).Seconds(), 2), Bots: cur.connected, Values: map[string]float64{}}
	for _, r := range soakResources {
		if v, ok := s.read(cur, r.key); ok {
			sm.Values[r.key] = report.Round(v, 3)
			continue
		}
		if s.scrapedAt.IsZero() || cur.at.Sub(s.scrapedAt) > s.staleAfter() {
			continue // a server too busy to answer /metrics: a gap, not an old figure
		}
		if v, ok := s.metrics.Value(r.metric); ok {
			sm.Values[r.key] = report.Round(v/r.scale, 3)
		}
	}
	s.samples = append(s.samples, sm)
}

// staleAfter is the age past which a scrape no longer stands for now: a
// couple of sampling periods, of the soak's or of the scraper's.
func (s *soakRecorder) staleAfter() time.Duration { return 2 * max(s.every, 2*sampleEvery) }

// read returns what /proc says of the child for key, if it says anything.
func (s *soakRecorder) read(cur *sample, key string) (float64, bool) {
	if s.pid == 0 {
		return 0, false
	}
	switch key {
	case "rss_mb":
		return float64(cur.server.RSS) / mib, cur.serverOK
	case "open_fds":
		n, err := procstat.OpenFDs(s.pid)
		return float64(n), err == nil
	}
	return 0, false
}

// source names where key's figures came from.
func (s *soakRecorder) source(key string) string {
	if s.pid != 0 && (key == "rss_mb" || key == "open_fds") {
		return sourceProc
	}
	return sourceMetrics
}

// soakWindowOf is the length of the stretches a soak of cfg compares.
func soakWindowOf(cfg Config) time.Duration {
	return min(soakWindow, (cfg.Duration-cfg.Ramp-cfg.Settle-cfg.SoakWarmup)/3)
}

// Soak runs cfg for its whole Duration, churning bots, and judges whether
// the server's resources stayed flat over the steady window after its
// warm-up.
func (r Runner) Soak(ctx context.Context, cfg Config) (*report.Soak, error) {
	cfg = cfg.resolved()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rec := &soakRecorder{every: cfg.SoakEvery}
	rep, churn, err := r.run(ctx, cfg, rec)
	if err != nil {
		return nil, err
	}
	window := soakWindowOf(cfg)
	s := &report.Soak{
		Report: rep, Flat: true, Samples: rec.samples,
		SoakEveryS: cfg.SoakEvery.Seconds(), SoakWindowS: window.Seconds(), SoakWarmupS: cfg.SoakWarmup.Seconds(),
		Churn: report.Churn{
			Reconnects: churn.Reconnects, Resumes: churn.Resumes, ResumesRefused: churn.ResumesRefused,
			Revived: churn.Revived, Failed: churn.Failed,
		},
	}
	for _, res := range soakResources {
		var ts, vs []float64
		for _, sm := range rec.samples {
			if sm.T < cfg.SoakWarmup.Seconds() {
				continue
			}
			if v, ok := sm.Values[res.key]; ok {
				ts, vs = append(ts, sm.T), append(vs, v)
			}
		}
		f := flatness(res.key, res.unit, res.tol, ts, vs, window.Seconds())
		if f.Measured {
			f.Source = rec.source(res.key)
		}
		if !f.Flat {
			s.Flat = false
			s.NotFlat = append(s.NotFlat, why(f))
		}
		s.Resources = append(s.Resources, f)
	}
	return s, nil
}

// notFlatErr is ErrNotFlat with the reasons, or nil for a flat soak.
func notFlatErr(s *report.Soak) error {
	if s.Flat {
		return nil
	}
	return fmt.Errorf("%w: %v", ErrNotFlat, s.NotFlat)
}
