package serverproc

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/floor"

	"github.com/skirmish-game/skirmish/server/engine"
)

func TestEngineConfigFitsTheSwarm(t *testing.T) {
	tests := []struct {
		name string
		o    Options
	}{
		{name: "small", o: Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 1, MaxConnsPerIP: 20, AOI: true, Deltas: true}},
		{name: "one big room", o: Options{TickRate: 60, RoomCapacity: 2000, MaxRooms: 1, MaxConnsPerIP: 2064}},
		{name: "many rooms", o: Options{TickRate: 20, RoomCapacity: 100, MaxRooms: 500, MaxConnsPerIP: 50064, Seed: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := EngineConfig(tt.o)
			require.NoError(t, cfg.Validate())
			assert.Equal(t, "127.0.0.1:0", cfg.Addr, "loopback only")
			assert.Equal(t, tt.o.TickRate, cfg.TickRate)
			assert.Equal(t, tt.o.TickRate, cfg.SnapshotRate, "a snapshot every tick")
			assert.GreaterOrEqual(t, cfg.RoomCapacity, tt.o.RoomCapacity)
			assert.GreaterOrEqual(t, cfg.MaxRooms, tt.o.MaxRooms)
			assert.GreaterOrEqual(t, cfg.MaxConnsPerIP, tt.o.MaxConnsPerIP)
			assert.GreaterOrEqual(t, cfg.MaxConnsPerIP, engine.DefaultMaxConnsPerIP, "never below the default")
			assert.Equal(t, tt.o.AOI, cfg.AOI)
			assert.Equal(t, tt.o.Deltas, cfg.Deltas)
			assert.Equal(t, tt.o.Seed, cfg.Seed)
			assert.Zero(t, cfg.FillBots, "no bots: capacity figures count the bench's clients alone")
		})
	}
}

func TestOptionsRoundTrip(t *testing.T) {
	t.Setenv(EnvServe, `{"tick_rate":30,"room_capacity":5,"aoi":true,"pprof":true,"log_level":"WARN"}`)
	require.True(t, Requested())
	o, err := decodeOptions(`{"tick_rate":30,"room_capacity":5,"aoi":true,"pprof":true,"log_level":"WARN"}`)
	require.NoError(t, err)
	assert.Equal(t, Options{TickRate: 30, RoomCapacity: 5, AOI: true, Pprof: true, LogLevel: slog.LevelWarn}, o)
	_, err = decodeOptions("{")
	assert.Error(t, err)
}

func TestKeepAddressLimits(t *testing.T) {
	o := Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 1, MaxConnsPerIP: 5000, AOI: true, Deltas: true, KeepAddressLimits: true, WebDir: "web"}
	cfg := EngineConfig(o)
	def := engine.DefaultConfig()
	assert.Equal(t, def.MaxConnsPerIP, cfg.MaxConnsPerIP)
	assert.Equal(t, def.ConnBurstPerIP, cfg.ConnBurstPerIP)
	assert.Equal(t, def.ConnRatePerIP, cfg.ConnRatePerIP)
	assert.Equal(t, def.MaxSeatsPerIP, cfg.MaxSeatsPerIP)
	assert.Equal(t, def.MaxRoomsPerIP, cfg.MaxRoomsPerIP)
	assert.Equal(t, def.RoomRatePerIP, cfg.RoomRatePerIP)
	assert.Equal(t, def.MaxHTTPConnsPerIP, cfg.MaxHTTPConnsPerIP)
	assert.Equal(t, def.MaxHTTPConns, cfg.MaxHTTPConns)
	assert.Equal(t, "web", cfg.WebDir)

	o.KeepAddressLimits = false
	assert.Greater(t, EngineConfig(o).MaxConnsPerIP, def.MaxConnsPerIP, "raised for the swarm")
}

func TestServerConfigFlags(t *testing.T) {
	tests := []struct {
		name    string
		flags   []string
		check   func(t *testing.T, cfg engine.Config)
		wantErr bool
	}{
		{name: "none", check: func(t *testing.T, cfg engine.Config) { assert.Equal(t, 30, cfg.SnapshotRate) }},
		{name: "a limit", flags: []string{"-max-conns-per-ip=3"}, check: func(t *testing.T, cfg engine.Config) {
			assert.Equal(t, 3, cfg.MaxConnsPerIP)
			assert.Equal(t, 30, cfg.TickRate)
		}},
		{name: "tick rate, snapshots follow", flags: []string{"-tick-rate=60"}, check: func(t *testing.T, cfg engine.Config) {
			assert.Equal(t, 60, cfg.TickRate)
			assert.Equal(t, engine.DefaultSnapshotRate, cfg.SnapshotRate)
		}},
		{name: "no fill bots by default", check: func(t *testing.T, cfg engine.Config) { assert.Zero(t, cfg.FillBots) }},
		{name: "fill bots on request", flags: []string{"-fill-bots=4"}, check: func(t *testing.T, cfg engine.Config) { assert.Equal(t, 4, cfg.FillBots) }},
		{name: "unknown flag", flags: []string{"-no-such-flag"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := serverConfig(Options{TickRate: 30, AOI: true, Deltas: true, KeepAddressLimits: true, ServerFlags: tt.flags})
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			tt.check(t, cfg)
		})
	}
}

func TestChildEnvDropsServerVariables(t *testing.T) {
	got := childEnv([]string{"PATH=/bin", "SKIRMISH_TICK_RATE=10", "SKIRMISH_ATTACK_SERVE={}", "HOME=/root"})
	assert.Equal(t, []string{"PATH=/bin", "HOME=/root"}, got)
}

func TestServerConfigKeepsLoopbackAndTakesFlags(t *testing.T) {
	o, err := decodeOptions(`{"web_dir":"/tmp/w","tick_rate":20,"server_flags":["-max-rooms=7","-addr=0.0.0.0:80"]}`)
	require.NoError(t, err)
	cfg, err := serverConfig(o)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:0", cfg.Addr, "a flag cannot move the child off loopback")
	assert.Equal(t, "/tmp/w", cfg.WebDir)
	assert.Equal(t, 20, cfg.TickRate)
	assert.Equal(t, 7, cfg.MaxRooms)
}

func TestNewServerFloor(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cases := []struct {
		name  string
		o     Options
		floor bool
		err   bool
	}{
		{name: "engine", o: Options{TickRate: 30, RoomCapacity: 10, MaxRooms: 1, MaxConnsPerIP: 20}},
		{name: "floor, default bytes", o: Options{TickRate: 30, Floor: true}, floor: true},
		{name: "floor, bytes given", o: Options{TickRate: 30, Floor: true, FloorBytes: 500}, floor: true},
		{name: "floor, too few bytes", o: Options{TickRate: 30, Floor: true, FloorBytes: 5}, err: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := newServer(tc.o, log)
			if tc.err {
				assert.ErrorIs(t, err, floor.ErrConfig)
				return
			}
			require.NoError(t, err)
			_, isFloor := srv.(*floor.Server)
			assert.Equal(t, tc.floor, isFloor)
		})
	}
}
