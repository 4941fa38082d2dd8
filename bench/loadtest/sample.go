package loadtest

import (
	"time"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/metrics"
	"github.com/skirmish-game/skirmish/bench/procstat"
	"github.com/skirmish-game/skirmish/bench/report"
	"github.com/skirmish-game/skirmish/bench/stats"
)

// sample is everything the bench reads at one instant. Cumulative values are
// turned into rates and distributions by subtracting two samples.
type sample struct {
	at                time.Time
	lat, ivl          stats.Counts  // cumulative histograms
	latMax, ivlMax    time.Duration // maxima since the previous sample
	connected         int
	msgsIn, msgsOut   uint64
	bytesIn, bytesOut uint64
	inputs, snaps     uint64
	missed            uint64 // snapshot ticks the server skipped
	errors            uint64
	self              procstat.Usage
	system            time.Duration // all processes' CPU time
	systemOK          bool
	server            procstat.Usage
	serverOK          bool
	metrics           metrics.Sample
	tick              metrics.Histogram
	metricsOK         bool
}

// sampler takes samples of one run.
type sampler struct {
	rec        *bot.Recorder
	pid        int // server child, 0 = none
	scr        *scraper
	scrapeSeen uint64 // the newest scrape a sample has taken
}

// take reads everything now; the server metrics are those of the newest
// scrape if it is one no earlier sample had.
func (s *sampler) take() *sample {
	sm := s.bots()
	s.server(sm)
	sm.at = time.Now()
	return sm
}

// bots reads the bots' side: the recorder and this process's CPU.
func (s *sampler) bots() *sample {
	sm := &sample{
		lat:       s.rec.Latency.Snapshot(nil),
		ivl:       s.rec.Interval.Snapshot(nil),
		latMax:    s.rec.Latency.TakeMax(),
		ivlMax:    s.rec.Interval.TakeMax(),
		connected: int(s.rec.Connected.Load()),
		msgsIn:    s.rec.MsgsIn.Load(), msgsOut: s.rec.MsgsOut.Load(),
		bytesIn: s.rec.BytesIn.Load(), bytesOut: s.rec.BytesOut.Load(),
		inputs: s.rec.InputsSent.Load(), snaps: s.rec.SnapshotsAcked.Load(), missed: s.rec.TicksMissed.Load(),
		errors: s.rec.Errors.Load(),
	}
	sm.self, _ = procstat.Self() // zero on failure; the CPU figure then reads 0
	sys, err := procstat.System()
	sm.system, sm.systemOK = sys, err == nil
	return sm
}

// server adds the server's side to sm: the child's usage, when there is a
// child, and the newest scrape, when there is a scraper.
func (s *sampler) server(sm *sample) {
	if s.pid != 0 {
		var err error
		sm.server, err = procstat.Read(s.pid)
		sm.serverOK = err == nil
	}
	if s.scr == nil {
		return
	}
	if sc, ok := s.scr.newer(s.scrapeSeen); ok {
		s.scrapeSeen = sc.seq
		sm.metrics, sm.tick, sm.metricsOK = sc.sample, sc.tick, true
	}
}

// point summarizes the second between prev and cur for the series.
func point(start time.Time, prev, cur *sample) report.Point {
	secs := cur.at.Sub(prev.at).Seconds()
	p := report.Point{T: report.Round(cur.at.Sub(start).Seconds(), 2), Bots: cur.connected}
	if secs > 0 {
		p.MsgsPerSec = float64(cur.msgsIn+cur.msgsOut-prev.msgsIn-prev.msgsOut) / secs
	}
	p.Latency = latencyMs(cur.lat.Sub(prev.lat, nil).Summarize(cur.latMax))
	if prev.metricsOK && cur.metricsOK {
		p.Tick = tickMs(cur.tick.Sub(prev.tick))
	}
	return p
}

func latencyMs(s stats.Summary) report.Latency {
	return report.Latency{P50: report.Ms(s.P50), P95: report.Ms(s.P95), P99: report.Ms(s.P99), Max: report.Ms(s.Max)}
}

func spreadMs(s stats.Summary) report.Spread {
	return report.Spread{P50: report.Ms(s.P50), P99: report.Ms(s.P99), Max: report.Ms(s.Max)}
}

// tickMs converts a tick-duration histogram (seconds) to milliseconds.
func tickMs(h metrics.Histogram) report.Spread {
	const ms = 1000
	return report.Spread{
		P50: report.Round(h.Quantile(0.5)*ms, 3),
		P99: report.Round(h.Quantile(0.99)*ms, 3),
		Max: report.Round(h.Max()*ms, 3),
	}
}
