package serverproc

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/skirmish-game/skirmish/bench/cpuset"
	"github.com/skirmish-game/skirmish/bench/floor"
	"github.com/skirmish-game/skirmish/server/engine"
)

// exitBackstop is how long after shutdown begins the child exits even if
// Serve has not returned: the child must never outlive the bench.
const exitBackstop = engine.DefaultShutdownTimeout + 3*time.Second

// Main runs the server child and returns its exit code. Call it first thing
// in main (or TestMain) when Requested reports true.
func Main() int {
	opts, err := decodeOptions(os.Getenv(EnvServe))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: opts.LogLevel})).With("proc", "bench-server")
	// Pinned before the engine starts anything, so that no thread of the
	// server ever runs on the bots' cores.
	if err := cpuset.PinProcess(opts.CPUs); err != nil {
		log.Error("bench server failed", "err", err)
		return 1
	}
	if err := serve(opts, log); err != nil {
		log.Error("bench server failed", "err", err)
		return 1
	}
	return 0
}

// EngineConfig is the engine configuration the child runs with.
func EngineConfig(o Options) engine.Config {
	cfg := engine.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.TickRate = o.TickRate
	cfg.SnapshotRate = o.TickRate
	cfg.RoomCapacity = max(cfg.RoomCapacity, o.RoomCapacity)
	cfg.MaxRooms = max(cfg.MaxRooms, o.MaxRooms)
	if !o.KeepAddressLimits {
		cfg.MaxConnsPerIP = max(cfg.MaxConnsPerIP, o.MaxConnsPerIP)
		// Every bot is one address here, so the limits that keep one address
		// from taking a room or the server take the whole bot count instead.
		bots := max(o.MaxConnsPerIP, 1)
		cfg.ConnBurstPerIP = max(cfg.ConnBurstPerIP, bots)
		cfg.ConnRatePerIP = max(cfg.ConnRatePerIP, float64(bots))
		cfg.MaxSeatsPerIP = max(cfg.MaxSeatsPerIP, cfg.RoomCapacity)
		cfg.MaxRoomsPerIP = max(cfg.MaxRoomsPerIP, cfg.MaxRooms)
		cfg.RoomRatePerIP = max(cfg.RoomRatePerIP, cfg.MaxRooms)
		cfg.MaxHTTPConnsPerIP = max(cfg.MaxHTTPConnsPerIP, bots)
		cfg.MaxHTTPConns = max(cfg.MaxHTTPConns, bots)
	}
	// No fill bots: the bench measures what its own clients cost, and a
	// room's bots would add players it does not count (a server flag,
	// -fill-bots N, puts them back for a run that wants them).
	cfg.FillBots = 0
	cfg.AOI = o.AOI
	cfg.Deltas = o.Deltas
	cfg.Seed = o.Seed
	cfg.LogLevel = o.LogLevel
	cfg.WebDir = o.WebDir
	return cfg
}

// serverConfig is EngineConfig with o.ServerFlags applied over it. Start
// gives the child no SKIRMISH_ variable, so the environment RegisterFlags
// also reads adds nothing: only Options configure the child.
func serverConfig(o Options) (engine.Config, error) {
	cfg := EngineConfig(o)
	if len(o.ServerFlags) > 0 {
		// The flags may change the tick rate; a snapshot rate of 0 follows it.
		cfg.SnapshotRate = engine.DefaultSnapshotRate
		fs := flag.NewFlagSet("bench-server", flag.ContinueOnError)
		fs.SetOutput(io.Discard) // the error says what was wrong
		if err := cfg.RegisterFlags(fs); err != nil {
			return engine.Config{}, fmt.Errorf("serverproc: server environment: %w", err)
		}
		if err := fs.Parse(o.ServerFlags); err != nil {
			return engine.Config{}, fmt.Errorf("serverproc: server flags: %w", err)
		}
		// Whatever the flags say, the child listens on loopback only.
		cfg.Addr = "127.0.0.1:0"
	}
	return cfg, cfg.Validate()
}

// server is what the child serves: the engine, or the floor.
type server interface {
	Serve(ctx context.Context, ln net.Listener) error
}

// newServer makes the server o asks for.
func newServer(o Options, log *slog.Logger) (server, error) {
	if o.Floor {
		cfg := floor.DefaultConfig()
		cfg.TickRate = o.TickRate
		if o.FloorBytes > 0 {
			cfg.SnapshotBytes = o.FloorBytes
		}
		srv, err := floor.New(cfg, log)
		if err != nil {
			return nil, fmt.Errorf("serverproc: %w", err)
		}
		log.Info("floor server: no game", "snapshot_bytes", cfg.SnapshotBytes, "entities", srv.Entities())
		return srv, nil
	}
	cfg, err := serverConfig(o)
	if err != nil {
		return nil, err
	}
	return engine.New(cfg, log)
}

func serve(o Options, log *slog.Logger) error {
	srv, err := newServer(o, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("serverproc: %w", err)
	}
	ready := Ready{Addr: ln.Addr().String()}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		// EOF or an error both mean the parent is gone or done with us.
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()
	context.AfterFunc(ctx, func() {
		time.AfterFunc(exitBackstop, func() {
			log.Error("bench server did not stop in time; exiting", "after", exitBackstop)
			os.Exit(3)
		})
	})

	if o.Pprof {
		pln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("serverproc: pprof: %w", err)
		}
		ps := &http.Server{Handler: pprofMux(), ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := ps.Serve(pln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Warn("pprof server stopped", "err", err)
			}
		}()
		defer ps.Close()
		ready.Pprof = pln.Addr().String()
	}

	if err := json.NewEncoder(os.Stdout).Encode(ready); err != nil {
		return fmt.Errorf("serverproc: announce: %w", err)
	}
	return srv.Serve(ctx, ln)
}

// pprofMux serves net/http/pprof on a private mux (never DefaultServeMux).
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
