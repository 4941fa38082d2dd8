package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/dist"
	"github.com/skirmish-game/skirmish/bench/report"
	"github.com/skirmish-game/skirmish/bench/stats"
	"github.com/skirmish-game/skirmish/bench/swarm"
	"github.com/skirmish-game/skirmish/client/transport"
)

// sampleGrace is how late a worker's sample may be, after the second it
// was due, before the coordinator gives the run up: a worker's machine or
// the NATS path can stall, but not for long in a run worth reporting.
const sampleGrace = 5 * time.Second

// plan is what a worker needs of the run's Config: the bots' side.
type plan struct {
	URL            string        `json:"url"`
	Bots           int           `json:"bots"`
	PerRoom        int           `json:"per_room"`
	Room           string        `json:"room"`
	Match          bool          `json:"match"`
	Observers      int           `json:"observers"`
	Ramp           time.Duration `json:"ramp"`
	Settle         time.Duration `json:"settle"`
	Duration       time.Duration `json:"duration"`
	TickRate       int           `json:"tick_rate"`
	Behavior       bot.Behavior  `json:"behavior"`
	Seed           uint64        `json:"seed"`
	Churn          time.Duration `json:"churn"`
	ConnectTimeout time.Duration `json:"connect_timeout"`
	Sim            transport.Sim `json:"sim"`
}

func planOf(c Config) plan {
	return plan{
		URL: c.URL, Bots: c.Bots, PerRoom: c.PerRoom, Room: c.Room, Match: c.Match, Observers: c.Observers,
		Ramp: c.Ramp, Settle: c.Settle, Duration: c.Duration, TickRate: c.TickRate, Behavior: c.Behavior,
		Seed: c.Seed, Churn: c.Churn, ConnectTimeout: c.ConnectTimeout, Sim: c.Sim,
	}
}

// config is the plan as a worker's Config, checked as the coordinator's was.
func (p plan) config() (Config, error) {
	c := DefaultConfig()
	c.URL, c.Bots, c.PerRoom, c.Room, c.Match, c.Observers = p.URL, p.Bots, p.PerRoom, p.Room, p.Match, p.Observers
	c.Ramp, c.Settle, c.Duration, c.TickRate, c.Behavior = p.Ramp, p.Settle, p.Duration, p.TickRate, p.Behavior
	c.Seed, c.Churn, c.ConnectTimeout, c.Sim = p.Seed, p.Churn, p.ConnectTimeout, p.Sim
	if c.URL == "" {
		return c, fmt.Errorf("%w: the plan names no server", ErrConfig)
	}
	return c, c.Validate()
}

// wireSample is a worker's sample of its bots as it travels: cumulative
// histograms and counters, the maxima of its last second, its own CPU.
type wireSample struct {
	At        time.Time     `json:"at"`
	Lat       stats.Counts  `json:"lat"`
	Ivl       stats.Counts  `json:"ivl"`
	LatMax    time.Duration `json:"lat_max"`
	IvlMax    time.Duration `json:"ivl_max"`
	Connected int           `json:"connected"`
	MsgsIn    uint64        `json:"msgs_in"`
	MsgsOut   uint64        `json:"msgs_out"`
	BytesIn   uint64        `json:"bytes_in"`
	BytesOut  uint64        `json:"bytes_out"`
	Inputs    uint64        `json:"inputs"`
	Snaps     uint64        `json:"snaps"`
	Missed    uint64        `json:"missed"`
	Errors    uint64        `json:"errors"`
	CPU       time.Duration `json:"cpu"`
	RSS       uint64        `json:"rss"`
	Ramped    bool          `json:"ramped"` // every connect of the share has ended
}

func wireOf(s *sample, ramped bool) wireSample {
	return wireSample{
		At: s.at, Lat: s.lat, Ivl: s.ivl, LatMax: s.latMax, IvlMax: s.ivlMax, Connected: s.connected,
		MsgsIn: s.msgsIn, MsgsOut: s.msgsOut, BytesIn: s.bytesIn, BytesOut: s.bytesOut,
		Inputs: s.inputs, Snaps: s.snaps, Missed: s.missed, Errors: s.errors,
		CPU: s.self.CPU, RSS: s.self.RSS, Ramped: ramped,
	}
}

// mergeSamples is the sample one process running every worker's bots would
// have taken: histograms and counts added, maxima the largest, the bots'
// CPU the workers' sum, the time the latest. Whether the run ramped is
// whether every share did.
func mergeSamples(parts []wireSample) (*sample, bool, error) {
	m := &sample{}
	ramped := true
	for _, p := range parts {
		if len(p.Lat) != stats.NumBuckets || len(p.Ivl) != stats.NumBuckets {
			return nil, false, fmt.Errorf("loadtest: a worker's histograms have %d and %d buckets, want %d", len(p.Lat), len(p.Ivl), stats.NumBuckets)
		}
		m.lat, m.ivl = m.lat.Add(p.Lat, m.lat), m.ivl.Add(p.Ivl, m.ivl)
		m.latMax, m.ivlMax = max(m.latMax, p.LatMax), max(m.ivlMax, p.IvlMax)
		m.connected += p.Connected
		m.msgsIn, m.msgsOut = m.msgsIn+p.MsgsIn, m.msgsOut+p.MsgsOut
		m.bytesIn, m.bytesOut = m.bytesIn+p.BytesIn, m.bytesOut+p.BytesOut
		m.inputs, m.snaps, m.missed, m.errors = m.inputs+p.Inputs, m.snaps+p.Snaps, m.missed+p.Missed, m.errors+p.Errors
		m.self.CPU, m.self.RSS = m.self.CPU+p.CPU, m.self.RSS+p.RSS
		if p.At.After(m.at) {
			m.at = p.At
		}
		ramped = ramped && p.Ramped
	}
	return m, ramped, nil
}

// swarmConfig is the swarm of cfg's bots against url; share is this
// process's part of them (zero: all).
func swarmConfig(cfg Config, url string, share swarm.Share) (swarm.Config, error) {
	var match bot.Matcher
	if cfg.Match {
		var err error
		if match, err = bot.NewMatcher(url); err != nil {
			return swarm.Config{}, err
		}
	}
	return swarm.Config{
		Bot:       bot.Config{URL: url, Behavior: cfg.Behavior, ConnectTimeout: cfg.ConnectTimeout, PingInterval: bot.DefaultPingInterval, Sim: cfg.Sim, Match: match},
		Bots:      cfg.Bots,
		PerRoom:   cfg.PerRoom,
		Room:      cfg.Room,
		Ramp:      cfg.Ramp,
		TickRate:  cfg.TickRate,
		Seed:      cfg.Seed,
		Churn:     cfg.Churn,
		Observers: cfg.Observers,
		Share:     share,
	}, nil
}

// Work runs this worker's share of the run job describes: it connects its
// bots from the start time on, sends a sample of them every second after
// it, and when the coordinator says stop, closes them and returns their
// totals (bot.Totals). It is a dist.Work.
func (r Runner) Work(ctx context.Context, job *dist.Job) (any, error) {
	var p plan
	if err := json.Unmarshal(job.Plan, &p); err != nil {
		return nil, fmt.Errorf("loadtest: plan: %w", err)
	}
	cfg, err := p.config()
	if err != nil {
		return nil, err
	}
	rec := bot.NewRecorder()
	scfg, err := swarmConfig(cfg, cfg.URL, swarm.Share{Index: job.Index, Of: job.Of})
	if err != nil {
		return nil, err
	}
	sw, err := swarm.New(scfg, rec, r.log())
	if err != nil {
		return nil, err
	}
	at, err := job.Ready(ctx)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithDeadline(ctx, at.Add(cfg.Duration+cfg.ConnectTimeout+runSlack))
	defer cancel()
	r.log().Info("share starting", "run", job.Run, "index", job.Index, "of", job.Of, "at", at)
	err = r.workShare(runCtx, job, sw, &sampler{rec: rec}, at)
	if stopErr := sw.Stop(botStopTimeout); stopErr != nil {
		r.log().Warn("stopping bots", "err", stopErr)
	}
	if err != nil {
		return nil, err
	}
	r.log().Info("share done", "run", job.Run, "index", job.Index, "welcomed", rec.Welcomed.Load(), "errors", rec.Errors.Load())
	return rec.Totals(), nil
}

// workShare starts the share's bots at at and samples them on every second
// after it until the coordinator says stop.
func (r Runner) workShare(ctx context.Context, job *dist.Job, sw *swarm.Swarm, smp *sampler, at time.Time) error {
	timer := time.NewTimer(time.Until(at))
	defer timer.Stop()
	for seq := 0; ; seq++ {
		select {
		case <-ctx.Done():
			return fmt.Errorf("loadtest: share stopped before the coordinator said so: %w", ctx.Err())
		case <-job.Stopped():
			return nil
		case <-timer.C:
		}
		cur := smp.bots()
		cur.at = time.Now()
		if seq == 0 {
			sw.Start(ctx) // as in a run of one process: the first sample before any bot
		}
		if err := job.Sample(seq, wireOf(cur, isClosed(sw.Ramped()))); err != nil {
			return err
		}
		timer.Reset(time.Until(at.Add(time.Duration(seq+1) * sampleEvery)))
	}
}

// Coordinate runs cfg's load test on cfg.Workers workers reached through
// nc, each running its share of the bots against cfg.URL, and reports it as
// a run of one process would: sample by sample, the workers' histograms and
// counters are added up (exactly: quantiles come from the merged
// histogram), and the server's figures are scraped here.
func (r Runner) Coordinate(ctx context.Context, cfg Config, nc *nats.Conn) (*report.Report, error) {
	cfg = cfg.resolved()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tg, err := startTarget(cfg, r.serverLog())
	if err != nil {
		return nil, err
	}
	co, err := dist.Gather(ctx, nc, cfg.Workers, planOf(cfg), cfg.JoinTimeout, r.log())
	if err != nil {
		return nil, err
	}
	defer co.Close()
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.ConnectTimeout+runSlack)
	defer cancel()
	scr := startScraper(runCtx, tg.metricsURL)
	defer scr.stop()
	at, err := co.Start()
	if err != nil {
		co.Abort(err.Error())
		return nil, err
	}
	r.log().Info("distributed load test starting", "run", co.Run(), "workers", cfg.Workers, "bots", cfg.Bots,
		"rooms", cfg.rooms(), "behavior", cfg.Behavior, "url", tg.wsURL, "at", at)
	w, before, err := r.gather(runCtx, cfg, co, &sampler{scr: scr}, at)
	if err != nil {
		co.Abort(err.Error())
		return nil, err
	}
	if err := co.Stop(); err != nil {
		return nil, err
	}
	results, err := co.Results(runCtx)
	if err != nil {
		return nil, err
	}
	rec := bot.NewRecorder()
	for _, res := range results {
		var t bot.Totals
		if err := json.Unmarshal(res.Data, &t); err != nil {
			return nil, fmt.Errorf("loadtest: worker %d's totals: %w", res.Index, err)
		}
		if err := rec.AddTotals(t); err != nil {
			return nil, fmt.Errorf("loadtest: worker %d's totals: %w", res.Index, err)
		}
	}
	rep := buildReport(cfg, tg, rec, before, w)
	rep.Workers = cfg.Workers
	rep.BotsRSSMB, rep.BotsRSSPerBotKB = 0, 0 // the workers' memory is theirs, not this process's
	return rep, nil
}

// gather merges the workers' samples second by second into the run's
// window; before is the first, taken at the start time.
func (r Runner) gather(ctx context.Context, cfg Config, co *dist.Coordinator, smp *sampler, at time.Time) (*window, *sample, error) {
	prog := progress{w: r.Progress, tty: r.TTY, total: cfg.Bots}
	defer prog.done()
	in := merger{co: co, n: cfg.Workers, at: at, pending: map[int][]wireSample{}}
	prev, _, err := in.next(ctx, 0)
	if err != nil {
		return nil, nil, err
	}
	smp.server(prev)
	before := prev
	w := &window{}
	for seq := 1; w.end == nil; seq++ {
		cur, ramped, err := in.next(ctx, seq)
		if err != nil {
			return nil, nil, err
		}
		smp.server(cur)
		pt, phase, _ := w.add(cfg, at, prev, cur, ramped)
		prog.update(pt, cur.errors, phase)
		prev = cur
	}
	return w, before, nil
}

// merger puts the workers' samples together by number.
type merger struct {
	co      *dist.Coordinator
	n       int
	at      time.Time
	pending map[int][]wireSample // by seq; each worker's at its index
	seen    map[int]int          // by seq: how many arrived
}

// next returns the merged sample number seq, once every worker sent it,
// and whether every share has ramped by then.
func (m *merger) next(ctx context.Context, seq int) (*sample, bool, error) {
	if m.seen == nil {
		m.seen = map[int]int{}
	}
	deadline := time.NewTimer(time.Until(m.at.Add(time.Duration(seq)*sampleEvery + sampleGrace)))
	defer deadline.Stop()
	for m.seen[seq] < m.n {
		select {
		case s := <-m.co.Samples():
			if err := m.take(s, seq); err != nil {
				return nil, false, err
			}
		case <-deadline.C:
			return nil, false, fmt.Errorf("loadtest: %d of %d workers sent sample %d within %v", m.seen[seq], m.n, seq, sampleGrace)
		case <-ctx.Done():
			return nil, false, fmt.Errorf("loadtest: sample %d: %w", seq, ctx.Err())
		}
		if n := m.co.Dropped(); n > 0 {
			return nil, false, fmt.Errorf("%w: %d", dist.ErrDropped, n)
		}
	}
	parts := m.pending[seq]
	delete(m.pending, seq)
	delete(m.seen, seq)
	return mergeSamples(parts)
}

// take files one worker's sample; one for a sample already merged, or too
// far ahead to be real, is an error.
func (m *merger) take(s dist.Sample, want int) error {
	const ahead = 4 // seconds a worker may run ahead of the slowest
	if s.Index < 0 || s.Index >= m.n || s.Seq < want || s.Seq > want+ahead {
		return fmt.Errorf("loadtest: sample %d of worker %d while merging sample %d of %d workers", s.Seq, s.Index, want, m.n)
	}
	var ws wireSample
	if err := json.Unmarshal(s.Data, &ws); err != nil {
		return fmt.Errorf("loadtest: sample %d of worker %d: %w", s.Seq, s.Index, err)
	}
	parts := m.pending[s.Seq]
	if parts == nil {
		parts = make([]wireSample, m.n)
		m.pending[s.Seq] = parts
	}
	if parts[s.Index].Lat != nil {
		return fmt.Errorf("loadtest: sample %d of worker %d twice", s.Seq, s.Index)
	}
	parts[s.Index] = ws
	m.seen[s.Seq]++
	return nil
}

// natsTimeout bounds the connect to the NATS server.
const natsTimeout = 5 * time.Second

func connectNATS(url string) (*nats.Conn, error) {
	nc, err := nats.Connect(url, nats.Name("skirmish-bench"), nats.Timeout(natsTimeout))
	if err != nil {
		return nil, fmt.Errorf("loadtest: nats %s: %w", url, err)
	}
	return nc, nil
}

// coordinate is Coordinate through a connection of its own to cfg.NATS.
func (r Runner) coordinate(ctx context.Context, cfg Config) (*report.Report, error) {
	nc, err := connectNATS(cfg.NATS)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	return r.Coordinate(ctx, cfg, nc)
}

// Serve is a worker (bench -worker): it takes shares of the distributed
// runs announced on the NATS server at url, one after another, until ctx is
// done.
func (r Runner) Serve(ctx context.Context, url string) error {
	nc, err := connectNATS(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	host, _ := os.Hostname() // only a name for the coordinator's log
	return dist.Serve(ctx, nc, fmt.Sprintf("%s-%d", host, os.Getpid()), r.Work, r.log())
}
