package serverproc

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
