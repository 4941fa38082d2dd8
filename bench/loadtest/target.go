package loadtest

import (
	"fmt"
	"io"
	"net/url"

	"github.com/skirmish-game/skirmish/bench/serverproc"
)

// wsPath and metricsPath are the server's routes (engine.Server.Handler).
const (
	wsPath      = "/ws"
	metricsPath = "/metrics"
	// connsHeadroom is extra connections per IP the child allows beyond the
	// bots, for the bench's own scrapes and stragglers of a previous run.
	connsHeadroom = 64
)

// target is the server under test.
type target struct {
	wsURL      string
	metricsURL string
	proc       *serverproc.Process // nil for an external server
}

// startTarget starts the child server for cfg, or points at cfg.URL.
func startTarget(cfg Config, serverLog io.Writer) (*target, error) {
	if cfg.URL != "" {
		u, err := url.Parse(cfg.URL)
		if err != nil {
			return nil, fmt.Errorf("loadtest: url: %w", err)
		}
		t := &target{wsURL: cfg.URL, metricsURL: cfg.MetricsURL}
		if t.metricsURL == "" {
			t.metricsURL = metricsURL(u)
		}
		return t, nil
	}
	proc, err := serverproc.Start(serverproc.Options{
		TickRate:      cfg.TickRate,
		RoomCapacity:  cfg.PerRoom,
		MaxRooms:      cfg.rooms(),
		MaxConnsPerIP: cfg.Bots + connsHeadroom,
		AOI:           cfg.AOI,
		Deltas:        cfg.Deltas,
		Seed:          cfg.Seed,
		Pprof:         cfg.Pprof != "",
		LogLevel:      cfg.ServerLogLevel,
		CPUs:          cfg.ServerCPUs,
		Floor:         cfg.Floor,
		FloorBytes:    cfg.FloorBytes,
	}, serverLog)
	if err != nil {
		return nil, err
	}
	return &target{
		wsURL:      (&url.URL{Scheme: "ws", Host: proc.Addr, Path: wsPath}).String(),
		metricsURL: (&url.URL{Scheme: "http", Host: proc.Addr, Path: metricsPath}).String(),
		proc:       proc,
	}, nil
}

// stop ends the child, if there is one.
func (t *target) stop() error {
	if t.proc == nil {
		return nil
	}
	return t.proc.Stop()
}
