package serverproc

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/skirmish-game/skirmish/bench/cpuset"
)

// EnvServe names the environment variable that turns the bench binary (or a
// test binary whose TestMain checks Requested) into the server child. Its
// value is the JSON of Options.
const EnvServe = "SKIRMISH_BENCH_SERVE"

// Options is the server configuration the bench controls; everything else is
// the engine's default.
type Options struct {
	TickRate      int        `json:"tick_rate"` // snapshots go out at the same rate
	RoomCapacity  int        `json:"room_capacity"`
	MaxRooms      int        `json:"max_rooms"`
	MaxConnsPerIP int        `json:"max_conns_per_ip"` // every bot dials from 127.0.0.1
	AOI           bool       `json:"aoi"`
	Deltas        bool       `json:"deltas"`
	Seed          uint64     `json:"seed"`
	Pprof         bool       `json:"pprof"` // serve net/http/pprof on a second loopback port
	LogLevel      slog.Level `json:"log_level"`

	// For the attack rows, which measure the engine's own defences:
	WebDir string `json:"web_dir"` // the web client to serve; empty: none
	// ServerFlags are server flags (as for go run ./server) applied last;
	// the child is still told to listen on loopback only.
	ServerFlags []string `json:"server_flags"`
	// KeepAddressLimits keeps the engine's per-address limits instead of
	// raising them for a swarm that dials from one address.
	KeepAddressLimits bool `json:"keep_address_limits"`
	// CPUs pins the child to these CPUs, with GOMAXPROCS their count, so that
	// its CPU is measured on cores the bots do not use; empty: not pinned.
	CPUs cpuset.Set `json:"cpus"`

	// Floor runs the bare transport server of package floor instead of the
	// engine, for the same bots: no world, no area of interest, no deltas,
	// and a full snapshot of FloorBytes to each client every tick. Of the
	// fields above only TickRate, Pprof, LogLevel and CPUs apply to it.
	Floor      bool `json:"floor"`
	FloorBytes int  `json:"floor_bytes"`
}

// Ready is the line the child prints on stdout once it listens.
type Ready struct {
	Addr  string `json:"addr"`            // host:port of the game server
	Pprof string `json:"pprof,omitempty"` // host:port of net/http/pprof, if enabled
}

// Requested reports whether this process was started as the server child.
func Requested() bool {
	_, ok := os.LookupEnv(EnvServe)
	return ok
}

func decodeOptions(s string) (Options, error) {
	var o Options
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		return o, fmt.Errorf("serverproc: %s: %w", EnvServe, err)
	}
	return o, nil
}
