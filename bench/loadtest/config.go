package loadtest

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/cpuset"
	"github.com/skirmish-game/skirmish/bench/floor"
	"github.com/skirmish-game/skirmish/bench/swarm"
	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/netcode"
)

// Named defaults. `go run ./bench` with no flags uses them.
const (
	DefaultBots           = 200
	DefaultPerRoom        = 50
	DefaultRamp           = 5 * time.Second
	DefaultDuration       = 30 * time.Second // the whole run: ramp, settle, then the steady window
	DefaultSettle         = time.Second      // after the ramp, before the window opens
	DefaultTickRate       = 30
	DefaultBehavior       = bot.Fight
	DefaultAOI            = true
	DefaultDeltas         = true
	DefaultSeed           = 1
	DefaultCapacityStep   = 100
	DefaultCapacitySteps  = 20
	DefaultStepDuration   = 10 * time.Second
	DefaultConnectTimeout = bot.DefaultConnectTimeout
	DefaultServerLogLevel = slog.LevelWarn
	// DefaultObservers is the bots per room that apply every snapshot in
	// full and check it; the rest read only each snapshot's head.
	DefaultObservers = 2

	// ScenarioRef is the reference scenario: one room holding every bot,
	// wandering at 30 Hz without firing, on the server's default arena
	// (4000x4000, 200 drones).
	ScenarioRef = "ref"
	refTickRate = 30
	// ScenarioRooms100 is the reference scenario in rooms of 100: the
	// players of a server that holds many rooms (issue 10's 2,000 in 20).
	ScenarioRooms100 = "rooms100"
	rooms100PerRoom  = 100
)

// Limits Validate enforces.
const (
	minWindow   = 2 * time.Second // shortest steady window a run measures
	maxBots     = 100_000
	minTickRate = 1
	maxTickRate = 1000
	maxSteps    = 100
	maxWorkers  = 1000
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("loadtest: invalid config")

// Config is one bench invocation.
type Config struct {
	URL string // external server (ws:// or wss://, any host); empty = start a child server
	// MetricsURL is where the external server serves /metrics (http:// or
	// https://): its admin listener when it runs with -admin-addr, where the
	// game port serves no /metrics. Empty: URL's host and port.
	MetricsURL string
	Bots       int
	PerRoom    int
	Room       string // every bot in this one room, e.g. to fly against people in it
	// Match seats every bot through POST /match on URL's server (quick play,
	// or Room) and sends the seat's ticket in the hello, as the game client
	// does: what a fleet with -require-ticket admits. A bot whose server
	// drains or dies is seated again.
	Match bool
	// Observers per room apply every snapshot in full and check it; the
	// other bots are lean: they read each snapshot's head to ack it and to
	// time their inputs, and cost the bench far less than the server.
	Observers int
	Ramp      time.Duration
	Duration  time.Duration // total run time including ramp and settle
	Settle    time.Duration
	TickRate  int // the child's tick and snapshot rate, and the bots' input rate
	Behavior  bot.Behavior
	Scenario  string // "", ScenarioRef or ScenarioRooms100
	AOI       bool   // child server: area of interest
	Deltas    bool   // child server: delta snapshots
	Seed      uint64

	JSONPath string // write the report as JSON here
	PlotPath string // plot the run here (.png, .svg, .html)
	Pprof    string // child server: write a CPU profile of the steady window here

	Capacity      bool // search for the largest bot count that keeps up
	CapacityStart int  // first step's bots; 0 = CapacityStep
	CapacityStep  int
	CapacitySteps int           // at most this many steps
	StepDuration  time.Duration // each step's Duration

	Soak      bool          // run long and judge whether the server's resources stay flat
	SoakEvery time.Duration // soak: time between resource samples
	// SoakWarmup is sampled but left out of the verdict: the server's heap
	// grows for a minute or two after the ramp (rooms, rings and caches
	// filling), which is not a leak.
	SoakWarmup time.Duration
	Churn      time.Duration // one bot leaves and comes back every Churn; 0 = none

	ConnectTimeout time.Duration
	ServerLogLevel slog.Level

	// Sim is a simulated network on every bot's connection; zero is off.
	Sim transport.Sim

	// NATS, with Workers, spreads the bots over that many worker processes
	// (bench -worker) reached through the NATS server at this URL; they
	// must see URL too. JoinTimeout bounds the wait for them (0:
	// dist.DefaultJoinTimeout).
	NATS        string
	Workers     int
	JoinTimeout time.Duration

	// ServerCPUs and BotsCPUs pin the child server and the bench's own
	// process (the bots) to CPU sets, GOMAXPROCS to match, so that each is
	// measured on cores of its own; empty: not pinned.
	ServerCPUs, BotsCPUs cpuset.Set

	// Floor replaces the child server by package floor's bare transport
	// server, which sends every bot a full snapshot of FloorBytes each tick
	// and runs no game, so that a run shows what the transport alone costs.
	Floor      bool
	FloorBytes int
}

// DefaultConfig returns the configuration of `go run ./bench`.
func DefaultConfig() Config {
	return Config{
		Bots: DefaultBots, PerRoom: DefaultPerRoom, Observers: DefaultObservers, Ramp: DefaultRamp, Duration: DefaultDuration,
		Settle: DefaultSettle, TickRate: DefaultTickRate, Behavior: DefaultBehavior,
		AOI: DefaultAOI, Deltas: DefaultDeltas, Seed: DefaultSeed,
		CapacityStep: DefaultCapacityStep, CapacitySteps: DefaultCapacitySteps, StepDuration: DefaultStepDuration,
		SoakEvery:      DefaultSoakEvery,
		SoakWarmup:     DefaultSoakWarmup,
		ConnectTimeout: DefaultConnectTimeout, ServerLogLevel: DefaultServerLogLevel,
		FloorBytes: floor.DefaultSnapshotBytes,
	}
}

// RegisterFlags binds c's fields to flags on fs; c's values are the defaults.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.URL, "url", c.URL, "external server WebSocket URL, ws:// or wss:// on any host (ws://127.0.0.1:8080/ws); empty = start a child server")
	fs.StringVar(&c.MetricsURL, "metrics-url", c.MetricsURL, "with -url: the server's /metrics, http:// or https:// (http://127.0.0.1:9090/metrics for a server with -admin-addr); empty = on -url's host and port")
	fs.IntVar(&c.Bots, "bots", c.Bots, "number of bots")
	fs.IntVar(&c.PerRoom, "per-room", c.PerRoom, "bots per room (rooms are named bench-N)")
	fs.IntVar(&c.Observers, "observers", c.Observers, "bots per room that apply every snapshot in full and check it; the rest read only each snapshot's head")
	fs.StringVar(&c.Room, "room", c.Room, "put every bot in this one room (for playing against them with -url); overrides -per-room")
	fs.BoolVar(&c.Match, "match", c.Match, "seat every bot through POST /match on -url's server (quick play, or -room) and send its ticket, as the game does; bots follow drains and dead servers")
	fs.DurationVar(&c.Ramp, "ramp", c.Ramp, "spread bot connects over this long")
	fs.DurationVar(&c.Duration, "duration", c.Duration, "whole run: ramp, settle, then the measured steady window")
	fs.DurationVar(&c.Settle, "settle", c.Settle, "wait after the ramp before measuring")
	fs.IntVar(&c.TickRate, "tick-rate", c.TickRate, "child server tick and snapshot rate; bots send inputs at this rate")
	fs.Var(&c.Behavior, "behavior", "bot behavior: idle, wander or fight")
	fs.StringVar(&c.Scenario, "scenario", c.Scenario, `scenario preset: "ref" = one room of all bots, wander, 30 Hz; "rooms100" = the same in rooms of 100`)
	fs.BoolVar(&c.AOI, "aoi", c.AOI, "child server: send each bot only what is near it")
	fs.BoolVar(&c.Deltas, "deltas", c.Deltas, "child server: delta-encode snapshots (false = always full)")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "seed of the bots' random walks and of the child's worlds")
	fs.StringVar(&c.JSONPath, "json", c.JSONPath, "write the report as JSON to this file")
	fs.StringVar(&c.PlotPath, "plot", c.PlotPath, "plot latency and tick time over the run to this .png, .svg or .html file")
	fs.StringVar(&c.Pprof, "pprof", c.Pprof, "child server: write a CPU profile of the steady window to this file")
	fs.BoolVar(&c.Capacity, "capacity", c.Capacity, "step the bot count up until the keep-up criteria fail")
	fs.IntVar(&c.CapacityStart, "capacity-start", c.CapacityStart, "capacity: bots in the first step (0 = the step size)")
	fs.IntVar(&c.CapacityStep, "capacity-step", c.CapacityStep, "capacity: bots added per step")
	fs.IntVar(&c.CapacitySteps, "capacity-steps", c.CapacitySteps, "capacity: most steps to run")
	fs.DurationVar(&c.StepDuration, "step-duration", c.StepDuration, "capacity: each step's whole run")
	fs.BoolVar(&c.Soak, "soak", c.Soak, "run long (10m unless -duration), churning bots, and fail unless the server's RSS, heap, goroutines and fds stay flat")
	fs.DurationVar(&c.SoakEvery, "soak-every", c.SoakEvery, "soak: time between resource samples")
	fs.DurationVar(&c.SoakWarmup, "soak-warmup", c.SoakWarmup, "soak: the start of the steady window that is sampled but not judged")
	fs.DurationVar(&c.Churn, "churn", c.Churn, "one bot leaves and comes back (as a new player, or dropped and resumed with its token) every this long; 0 = none (soak: 500ms)")
	fs.DurationVar(&c.ConnectTimeout, "connect-timeout", c.ConnectTimeout, "dial + handshake + welcome limit per bot")
	fs.TextVar(&c.ServerLogLevel, "server-log", c.ServerLogLevel, "child server log level (debug, info, warn, error)")
	fs.DurationVar(&c.Sim.Latency, "sim-latency", c.Sim.Latency, "simulated network on each bot: delay added each way, to sends and to receives")
	fs.DurationVar(&c.Sim.Jitter, "sim-jitter", c.Sim.Jitter, "simulated network: each message's delay is uniform in latency +- this, in order")
	fs.StringVar(&c.NATS, "nats", c.NATS, "NATS server URL (nats://host:4222) of a distributed run: with -workers, coordinate; with -worker, take runs")
	fs.IntVar(&c.Workers, "workers", c.Workers, "spread the bots over this many bench -worker processes reached through -nats (needs -url)")
	fs.DurationVar(&c.JoinTimeout, "join-timeout", c.JoinTimeout, "distributed run: how long to wait for every worker to join and be ready (0: 60s)")
	fs.Var(&c.ServerCPUs, "server-cpus", "pin the child server to these CPUs (0, 0-1, 0,2), GOMAXPROCS their count; empty = not pinned")
	fs.Var(&c.BotsCPUs, "bots-cpus", "pin the bench's own process, the bots, to these CPUs, GOMAXPROCS their count; empty = not pinned")
	fs.BoolVar(&c.Floor, "floor", c.Floor, "run the bots against a bare transport server (no world, no AOI, no deltas) instead of the game: the floor under the same load")
	fs.IntVar(&c.FloorBytes, "floor-bytes", c.FloorBytes, "floor: bytes of the full snapshot each bot gets every tick (the bytes per tick the real server sent in the same scenario)")
	fs.Var(&c.Sim.Stall, "sim-stall", "simulated network: HOLD/EVERY, e.g. 200ms/5s holds everything for 200ms every 5s, as a TCP retransmit")
}

// ApplyModeDefaults gives a soak its own defaults for the flags fs did not
// set: a soak lasts DefaultSoakDuration and churns every DefaultSoakChurn.
// Call it after fs.Parse.
func (c *Config) ApplyModeDefaults(fs *flag.FlagSet) {
	if !c.Soak {
		return
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["duration"] {
		c.Duration = DefaultSoakDuration
	}
	if !set["churn"] {
		c.Churn = DefaultSoakChurn
	}
}

// Validate reports every setting that is out of range, joined.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if c.URL != "" {
		if err := checkURL(c.URL); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err))
		}
		if c.Pprof != "" {
			bad("-pprof profiles the child server; it does not apply with -url")
		}
		if c.ServerCPUs.Len() > 0 {
			bad("-server-cpus pins the child server; it does not apply with -url")
		}
		if c.Floor {
			bad("-floor replaces the child server; it does not apply with -url")
		}
	} else {
		if c.Match {
			bad("-match needs -url: the child server is in no fleet")
		}
		if c.MetricsURL != "" {
			bad("-metrics-url needs -url: the bench knows where its child server serves /metrics")
		}
	}
	if c.MetricsURL != "" {
		if err := checkMetricsURL(c.MetricsURL); err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err))
		}
	}
	if c.Floor {
		fc := floor.DefaultConfig()
		fc.TickRate, fc.SnapshotBytes = c.TickRate, c.FloorBytes
		if err := fc.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%w: -floor: %w", ErrConfig, err))
		}
		if c.Soak {
			bad("-soak judges the game server's resources from its /metrics, which the floor does not serve")
		}
	}
	if c.Workers != 0 {
		switch {
		case c.Workers < 0 || c.Workers > maxWorkers:
			bad("workers %d not in 1..%d", c.Workers, maxWorkers)
		case c.NATS == "":
			bad("-workers needs -nats, the NATS server the workers listen on")
		case c.URL == "":
			bad("-workers needs -url: the workers load a server they can all reach, not a child of the coordinator")
		case c.Capacity || c.Soak:
			bad("-workers runs one load test; -capacity and -soak run on one process")
		case c.Workers > c.Bots:
			bad("workers %d more than bots %d", c.Workers, c.Bots)
		}
	}
	if c.JoinTimeout < 0 {
		bad("join timeout %v must not be negative", c.JoinTimeout)
	}
	if c.Bots <= 0 || c.Bots > maxBots {
		bad("bots %d not in 1..%d", c.Bots, maxBots)
	}
	if err := netcode.ValidateRoomName(c.Room); err != nil {
		bad("room %q: %v", c.Room, err)
	}
	if c.Observers < 0 {
		bad("observers %d must not be negative", c.Observers)
	}
	if c.PerRoom <= 0 {
		bad("per-room %d must be positive", c.PerRoom)
	}
	if c.Ramp < 0 || c.Settle < 0 {
		bad("ramp %v and settle %v must not be negative", c.Ramp, c.Settle)
	}
	if !c.Capacity && c.Duration < c.Ramp+c.Settle+minWindow {
		bad("duration %v leaves no steady window of %v after ramp %v and settle %v", c.Duration, minWindow, c.Ramp, c.Settle)
	}
	if c.TickRate < minTickRate || c.TickRate > maxTickRate {
		bad("tick rate %d not in %d..%d", c.TickRate, minTickRate, maxTickRate)
	}
	if c.Behavior < bot.Idle || c.Behavior > bot.Fight {
		bad("unknown behavior %v", c.Behavior)
	}
	switch c.Scenario {
	case "", ScenarioRef, ScenarioRooms100:
	default:
		bad("unknown scenario %q (want %q or %q)", c.Scenario, ScenarioRef, ScenarioRooms100)
	}
	if c.PlotPath != "" {
		switch strings.ToLower(filepath.Ext(c.PlotPath)) {
		case ".png", ".svg", ".html", ".htm":
		default:
			bad("plot file %q must end in .png, .svg or .html", c.PlotPath)
		}
	}
	if c.Capacity {
		if c.CapacityStep <= 0 || c.CapacityStart < 0 || c.CapacitySteps <= 0 || c.CapacitySteps > maxSteps {
			bad("capacity step %d, start %d must be positive and steps %d in 1..%d", c.CapacityStep, c.CapacityStart, c.CapacitySteps, maxSteps)
		}
		if c.StepDuration < c.stepRamp()+c.Settle+minWindow {
			bad("step duration %v leaves no steady window of %v", c.StepDuration, minWindow)
		}
	}
	if c.Soak {
		if c.Capacity {
			bad("-soak and -capacity are different runs; choose one")
		}
		// Each compared stretch (a third of the window at most) needs
		// minSoakSamples samples.
		if c.SoakWarmup < 0 {
			bad("soak: warm-up %v must not be negative", c.SoakWarmup)
		}
		if c.SoakEvery <= 0 || c.Duration-c.Ramp-c.Settle-c.SoakWarmup < 3*minSoakSamples*c.SoakEvery {
			bad("soak: duration %v leaves too short a judged window after warm-up %v for samples every %v", c.Duration, c.SoakWarmup, c.SoakEvery)
		}
	}
	if c.Churn < 0 {
		bad("churn %v must not be negative", c.Churn)
	}
	if c.ConnectTimeout <= 0 {
		bad("connect timeout %v must be positive", c.ConnectTimeout)
	}
	if err := c.Sim.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err))
	}
	return errors.Join(errs...)
}

// resolved applies the scenario preset.
func (c Config) resolved() Config {
	if c.Room != "" {
		c.PerRoom = c.Bots
	}
	switch c.Scenario {
	case ScenarioRef:
		c.PerRoom = c.Bots
		c.Behavior = bot.Wander
		c.TickRate = refTickRate
	case ScenarioRooms100:
		c.PerRoom = rooms100PerRoom
		c.Behavior = bot.Wander
		c.TickRate = refTickRate
	}
	return c
}

// stepRamp is a capacity step's ramp: the run's, but at most a third of the
// step so that most of it is measured.
func (c Config) stepRamp() time.Duration { return min(c.Ramp, c.StepDuration/3) }

// rooms is how many rooms the bots fill.
func (c Config) rooms() int { return (c.Bots + c.PerRoom - 1) / c.PerRoom }

// swarmObservers is how many of the bots are observers.
func (c Config) swarmObservers() int {
	return swarm.Config{Bots: c.Bots, PerRoom: c.PerRoom, Room: c.Room, Observers: c.Observers}.ObserverCount()
}
