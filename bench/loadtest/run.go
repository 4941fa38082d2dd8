package loadtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/report"
	"github.com/skirmish-game/skirmish/bench/swarm"
)

// Timing of a run's edges.
const (
	sampleEvery    = time.Second
	botStopTimeout = 10 * time.Second
	// runSlack is added to a run's planned length for its hard deadline:
	// connect timeouts at the end of the ramp, the final scrape, a profile.
	runSlack = 30 * time.Second
)

// Runner runs load tests. The zero value logs nothing, shows no progress
// and discards the child server's log.
type Runner struct {
	Log       *slog.Logger
	Progress  io.Writer // the live line; nil = none
	TTY       bool      // Progress is a terminal: rewrite the line in place
	ServerLog io.Writer // the child server's stderr; nil = discarded
}

func (r Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

func (r Runner) serverLog() io.Writer {
	if r.ServerLog == nil {
		return io.Discard
	}
	return r.ServerLog
}

// window is what a run measured: the samples that open and close its steady
// window, the exact maxima seen inside it, and the per-second series.
type window struct {
	start, end     *sample
	latMax, ivlMax time.Duration
	series         []report.Point
	// The first and last samples of the window whose /metrics scrape worked:
	// an overloaded server may miss a scrape at either edge.
	firstMetrics, lastMetrics *sample
	truncated                 bool // the run hit its deadline before Duration
}

// Run performs one load test and reports its steady window.
func (r Runner) Run(ctx context.Context, cfg Config) (*report.Report, error) {
	cfg = cfg.resolved()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rep, _, err := r.run(ctx, cfg, nil)
	return rep, err
}

// run is Run for a resolved, valid cfg; soak, when not nil, is shown every
// sample of the steady window.
func (r Runner) run(ctx context.Context, cfg Config, soak *soakRecorder) (*report.Report, swarm.ChurnStats, error) {
	var churn swarm.ChurnStats
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.ConnectTimeout+runSlack)
	defer cancel()

	tg, err := startTarget(cfg, r.serverLog())
	if err != nil {
		return nil, churn, err
	}
	defer func() {
		if err := tg.stop(); err != nil {
			r.log().Warn("stopping the server child", "err", err)
		}
	}()

	rec := bot.NewRecorder()
	scfg, err := swarmConfig(cfg, tg.wsURL, swarm.Share{})
	if err != nil {
		return nil, churn, err
	}
	sw, err := swarm.New(scfg, rec, r.log())
	if err != nil {
		return nil, churn, err
	}
	scr := startScraper(runCtx, tg.metricsURL)
	defer scr.stop()
	smp := &sampler{rec: rec, scr: scr}
	if tg.proc != nil {
		smp.pid = tg.proc.Pid
	}
	if soak != nil {
		soak.pid = smp.pid
	}
	before := smp.take() // the server's memory before any bot
	r.log().Info("load test starting", "bots", cfg.Bots, "rooms", cfg.rooms(), "behavior", cfg.Behavior,
		"tick_rate", cfg.TickRate, "url", tg.wsURL, "server_pid", smp.pid)

	w, err := r.measure(ctx, runCtx, cfg, sw, smp, tg, soak)
	if stopErr := sw.Stop(botStopTimeout); stopErr != nil {
		r.log().Warn("stopping bots", "err", stopErr)
	}
	churn = sw.Churned()
	if err != nil {
		return nil, churn, err
	}
	return buildReport(cfg, tg, rec, before, w), churn, nil
}

// measure drives the run from its one-second samples: ramp, settle, then
// the steady window until Duration has passed. ctx is the caller's; runCtx
// adds the run's hard deadline. When a starved machine makes the run overrun
// that deadline inside the window, the window closes at the last sample (and
// the report says so) rather than losing the run.
func (r Runner) measure(ctx, runCtx context.Context, cfg Config, sw *swarm.Swarm, smp *sampler, tg *target, soak *soakRecorder) (*window, error) {
	prog := progress{w: r.Progress, tty: r.TTY, total: cfg.Bots}
	defer prog.done()
	start := time.Now()
	prev := smp.take()
	sw.Start(runCtx)
	ticker := time.NewTicker(sampleEvery)
	defer ticker.Stop()

	w := &window{}
	var profile <-chan error
	for w.end == nil {
		select {
		case <-runCtx.Done():
		case <-ticker.C:
		}
		if runCtx.Err() != nil {
			if ctx.Err() == nil && w.start != nil && prev != w.start {
				w.end, w.truncated = prev, true
				break
			}
			return nil, fmt.Errorf("loadtest: run stopped before its window closed: %w", runCtx.Err())
		}
		cur := smp.take()
		pt, phase, opened := w.add(cfg, start, prev, cur, isClosed(sw.Ramped()))
		if opened {
			profile = r.startProfile(runCtx, cfg, tg, cfg.Duration-cur.at.Sub(start))
		}
		if soak != nil && w.start != nil {
			soak.observe(cur, w.start.at)
		}
		prog.update(pt, cur.errors, phase)
		prev = cur
	}
	if profile != nil {
		if err := <-profile; err != nil {
			r.log().Warn("server CPU profile", "err", err)
		} else {
			r.log().Info("server CPU profile written", "file", cfg.Pprof)
		}
	}
	return w, nil
}

// add takes the sample cur (prev is the one before it, start when the run
// began) into the window and the series: it opens the window at the first
// sample after the ramp (ramped: every bot's connect has ended) and the
// settle, and closes it at the first after Duration with at least minWindow
// measured. It returns the second's point, the phase for the progress line,
// and whether the window opened with this sample.
func (w *window) add(cfg Config, start time.Time, prev, cur *sample, ramped bool) (pt report.Point, phase string, opened bool) {
	pt = point(start, prev, cur)
	w.series = append(w.series, pt)
	elapsed := cur.at.Sub(start)
	phase = "ramp"
	if w.start == nil {
		if ramped && elapsed >= cfg.Ramp+cfg.Settle {
			w.start, phase, opened = cur, "steady", true
		}
	} else {
		phase = "steady"
		w.latMax, w.ivlMax = max(w.latMax, cur.latMax), max(w.ivlMax, cur.ivlMax)
		if elapsed >= cfg.Duration && cur.at.Sub(w.start.at) >= minWindow {
			w.end = cur
		}
	}
	if w.start != nil && cur.metricsOK {
		if w.firstMetrics == nil {
			w.firstMetrics = cur
		}
		w.lastMetrics = cur
	}
	return pt, phase, opened
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
