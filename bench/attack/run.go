package attack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/serverproc"
	"github.com/skirmish-game/skirmish/bench/stats"
	"github.com/skirmish-game/skirmish/bench/swarm"
	"github.com/skirmish-game/skirmish/server/engine"
)

// Timing of a row's edges.
const (
	// honestRamp and honestPerRoom keep the honest bots, who all come from
	// 127.0.0.1, within the server's default per-address limits (a connect
	// burst of 40 then 5 a second, 32 seats in a room): they are the
	// yardstick, not the attack.
	honestRamp    = 3 * time.Second
	honestPerRoom = 25
	honestSettle  = time.Second
	honestStop    = 10 * time.Second
	// rowSlack is added to a row's Limit for its hard deadline: the attack
	// goroutines' last dials and reads.
	rowSlack = 10 * time.Second
	// DefaultMaxRSS stops a row whose attack has grown the server past it:
	// the machine is shared, and the figure is already made.
	DefaultMaxRSS = 3 << 30
)

// env is what an attack works with.
type env struct {
	host       string // server host:port
	attacker   dialer
	probe      dialer
	pid        int    // 0 = unknown
	webDir     string // where row 8 may plant files; "" = not known
	fdsBefore  int
	usageNow   func() (usage, bool)
	healthURL  string
	metricsURL string
}

// Runner replays attacks. The zero value logs nothing and discards the
// child server's log.
type Runner struct {
	Log       *slog.Logger
	ServerLog io.Writer
}

func (r Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// Execute replays cfg's rows in order, writing each row's result to out as
// it completes (a long replay that is stopped keeps what it measured), then
// the table of all of them.
func Execute(ctx context.Context, cfg Config, r Runner, out io.Writer) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	web, cleanup, err := scratchWeb(cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	fmt.Fprintf(out, "attack replay: %d honest bots from 127.0.0.1, attacker %s, new player %s; %s\n",
		cfg.Honest, cfg.AttackerIP, cfg.ProbeIP, targetDesc(cfg))
	var results []Result
	for _, n := range cfg.Rows {
		if ctx.Err() != nil {
			break
		}
		res := r.runRow(ctx, cfg, n, web)
		results = append(results, res)
		if err := res.WriteDetail(out); err != nil {
			return err
		}
	}
	return WriteTable(out, results)
}

func targetDesc(cfg Config) string {
	if cfg.URL == "" {
		if len(cfg.ServerFlags) > 0 {
			return fmt.Sprintf("a fresh child server per row with engine defaults and %v", cfg.ServerFlags)
		}
		return "a fresh child server per row with engine defaults"
	}
	return "external server " + cfg.URL
}

// childOptions configures a row's server child: the engine's own defaults,
// per-address limits included, because those are what the attacks measure.
func childOptions(cfg Config, web string) serverproc.Options {
	return serverproc.Options{
		TickRate:          cfg.TickRate,
		AOI:               engine.DefaultAOI,
		Deltas:            engine.DefaultDeltas,
		LogLevel:          slog.LevelWarn,
		WebDir:            web,
		ServerFlags:       cfg.ServerFlags,
		KeepAddressLimits: true,
	}
}

// runRow replays row n against a fresh child (or cfg.URL) with honest bots
// playing alongside.
func (r Runner) runRow(ctx context.Context, cfg Config, n int, web string) (res Result) {
	row := Rows()[n-1]
	res = Result{Row: n, Name: row.Name, What: row.What}
	start := time.Now()
	defer func() { res.Took = time.Since(start) }()

	host, pid := "", cfg.Pid
	if cfg.URL == "" {
		c, err := serverproc.Start(childOptions(cfg, web), r.serverLog())
		if err != nil {
			res.Err = err
			return res
		}
		defer func() {
			if err := c.Stop(); err != nil {
				r.log().Warn("stopping the server child", "err", err)
			}
		}()
		host, pid = c.Addr, c.Pid
	} else {
		u, _ := url.Parse(cfg.URL) // Validate parsed it
		host = u.Host
	}
	e, err := newEnv(cfg, host, pid, web)
	if err != nil {
		res.Err = err
		return res
	}
	httpc := &http.Client{Timeout: readTimeout}

	rowCtx, cancel := context.WithTimeout(ctx, row.Limit+rowSlack)
	defer cancel()
	hon, err := r.startHonest(rowCtx, cfg, host)
	if err != nil {
		res.Err = err
		return res
	}
	defer hon.stop(r.log())

	res.Metrics[0] = scrapeMetrics(rowCtx, httpc, e.metricsURL)
	if pid != 0 {
		if u, err := readUsage(pid); err == nil {
			res.Before, res.HaveUsage = u, true
			e.fdsBefore = u.FDs
		}
	}
	attackCtx, stopAttack := context.WithTimeout(rowCtx, row.Limit)
	defer stopAttack()
	var smp *sampler
	if res.HaveUsage {
		smp = startSampler(pid, DefaultMaxRSS, func() { res.Capped = true; stopAttack() })
		e.usageNow = func() (usage, bool) { _, last := smp.snapshot(); return last, true }
	}
	hon.mark()
	r.log().Info("attack row starting", "row", n, "name", row.Name, "host", host, "server_pid", pid)
	res.Answer = row.run(attackCtx, e)
	res.Honest = hon.measure()
	if smp != nil {
		res.Peak, _ = smp.finish()
	}
	// The cooldown is measurement, not synchronisation: the after figures
	// are whatever the server holds this long after the attack ended.
	select {
	case <-ctx.Done():
	case <-time.After(cfg.Cooldown):
	}
	if res.HaveUsage {
		if u, err := readUsage(pid); err == nil {
			res.After = u
		}
		res.Peak.RSS, res.Peak.FDs = max(res.Peak.RSS, res.Before.RSS, res.After.RSS), max(res.Peak.FDs, res.Before.FDs, res.After.FDs)
	}
	res.Metrics[1] = scrapeMetrics(rowCtx, httpc, e.metricsURL)
	return res
}

func (r Runner) serverLog() io.Writer {
	if r.ServerLog == nil {
		return io.Discard
	}
	return r.ServerLog
}

func newEnv(cfg Config, host string, pid int, web string) (*env, error) {
	att, err := newDialer(host, cfg.AttackerIP)
	if err != nil {
		return nil, err
	}
	prb, err := newDialer(host, cfg.ProbeIP)
	if err != nil {
		return nil, err
	}
	return &env{
		host: host, attacker: att, probe: prb, pid: pid, webDir: web,
		usageNow:   func() (usage, bool) { return usage{}, false },
		healthURL:  (&url.URL{Scheme: "http", Host: host, Path: "/healthz"}).String(),
		metricsURL: (&url.URL{Scheme: "http", Host: host, Path: "/metrics"}).String(),
	}, nil
}

// honest is the yardstick: bench bots playing in their own room while an
// attack runs.
type honest struct {
	rec     *bot.Recorder
	sw      *swarm.Swarm
	lat     stats.Counts
	ivl     stats.Counts
	errs    uint64
	closes0 map[uint16]uint64
}

func (r Runner) startHonest(ctx context.Context, cfg Config, host string) (*honest, error) {
	h := &honest{rec: bot.NewRecorder()}
	if cfg.Honest == 0 {
		return h, nil
	}
	sw, err := swarm.New(swarm.Config{
		Bot: bot.Config{
			URL:      (&url.URL{Scheme: "ws", Host: host, Path: wsPath}).String(),
			Behavior: bot.Fight, ConnectTimeout: bot.DefaultConnectTimeout, PingInterval: bot.DefaultPingInterval,
		},
		Bots: cfg.Honest, PerRoom: min(cfg.Honest, honestPerRoom), RoomPrefix: "honest-", Ramp: honestRamp, TickRate: cfg.TickRate, Seed: 1,
		Observers: cfg.Honest, // every honest bot a full client, as players are
	}, h.rec, r.log())
	if err != nil {
		return nil, err
	}
	h.sw = sw
	sw.Start(ctx)
	select {
	case <-sw.Ramped():
	case <-ctx.Done():
		return h, nil
	}
	select {
	case <-time.After(honestSettle): // measurement: let the first snapshots' burst pass
	case <-ctx.Done():
	}
	return h, nil
}

// mark starts the window the attack is measured in.
func (h *honest) mark() {
	h.lat, h.ivl = h.rec.Latency.Snapshot(nil), h.rec.Interval.Snapshot(nil)
	h.rec.Latency.TakeMax()
	h.rec.Interval.TakeMax()
	h.errs = h.rec.Errors.Load()
	h.closes0 = h.rec.CloseCodes()
}

// HonestEffect is what the honest bots saw while the attack ran.
type HonestEffect struct {
	Bots         int // connected at the end of the attack
	SnapshotP99  time.Duration
	SnapshotMax  time.Duration
	InputP99     time.Duration
	Snapshots    uint64 // intervals measured
	Errors       uint64
	ServerCloses map[string]int // closes of live honest bots, by code
}

func (h *honest) measure() HonestEffect {
	ivl := h.rec.Interval.Snapshot(nil).Sub(h.ivl, nil).Summarize(h.rec.Interval.TakeMax())
	lat := h.rec.Latency.Snapshot(nil).Sub(h.lat, nil).Summarize(h.rec.Latency.TakeMax())
	closes := map[string]int{}
	for code, n := range h.rec.CloseCodes() {
		if d := n - h.closes0[code]; d > 0 {
			closes[fmt.Sprint(code)] = int(d)
		}
	}
	return HonestEffect{
		Bots: int(h.rec.Connected.Load()), SnapshotP99: ivl.P99, SnapshotMax: ivl.Max, InputP99: lat.P99,
		Snapshots: ivl.Count, Errors: h.rec.Errors.Load() - h.errs, ServerCloses: closes,
	}
}

func (h *honest) stop(log *slog.Logger) {
	if h.sw == nil {
		return
	}
	if err := h.sw.Stop(honestStop); err != nil {
		log.Warn("stopping honest bots", "err", err)
	}
}

// scratchWeb returns the web directory row 8 plants its files in. With a
// child server it is a scratch copy of cfg.WebDir, removed by cleanup; with
// -url it is cfg.WebDir itself when that exists (the planted files are
// removed after the row), else "".
func scratchWeb(cfg Config) (dir string, cleanup func(), err error) {
	if cfg.URL != "" {
		if st, err := os.Stat(cfg.WebDir); err == nil && st.IsDir() {
			return cfg.WebDir, func() {}, nil
		}
		return "", func() {}, nil
	}
	dir, err = os.MkdirTemp("", "skirmish-attack-web-")
	if err != nil {
		return "", nil, fmt.Errorf("attack: %w", err)
	}
	cleanup = func() { _ = os.RemoveAll(dir) } // a leftover temp dir is harmless
	if err := os.CopyFS(dir, os.DirFS(cfg.WebDir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		cleanup()
		return "", nil, fmt.Errorf("attack: copy web client: %w", err)
	}
	return dir, cleanup, nil
}
