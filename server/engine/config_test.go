package engine

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		bad    string // part of the error; "" = valid
	}{
		{name: "defaults", change: func(*Config) {}},
		{name: "tick rate at the bounds", change: func(c *Config) { c.TickRate, c.SnapshotRate = MaxTickRate, 64 }},
		{name: "snapshot rate a divisor", change: func(c *Config) { c.TickRate, c.SnapshotRate = 60, 20 }},
		{name: "tick rate too low", change: func(c *Config) { c.TickRate, c.SnapshotRate = 9, 9 }, bad: "tick rate"},
		{name: "tick rate too high", change: func(c *Config) { c.TickRate, c.SnapshotRate = 129, 129 }, bad: "tick rate"},
		{name: "snapshot rate not a divisor", change: func(c *Config) { c.SnapshotRate = 20 }, bad: "snapshot rate"},
		{name: "snapshot rate above tick rate", change: func(c *Config) { c.SnapshotRate = 60 }, bad: "snapshot rate"},
		{name: "snapshot rate zero follows any tick rate", change: func(c *Config) { c.TickRate, c.SnapshotRate = 20, 0 }},
		{name: "snapshot rate negative", change: func(c *Config) { c.SnapshotRate = -1 }, bad: "snapshot rate"},
		{name: "empty addr", change: func(c *Config) { c.Addr = "" }, bad: "addr"},
		{name: "room capacity zero", change: func(c *Config) { c.RoomCapacity = 0 }, bad: "room capacity"},
		{name: "max rooms zero", change: func(c *Config) { c.MaxRooms = 0 }, bad: "max rooms"},
		{name: "view radius zero", change: func(c *Config) { c.ViewRadius = 0 }, bad: "view radius"},
		{name: "negative resume grace", change: func(c *Config) { c.ResumeGrace = -time.Second }, bad: "resume grace"},
		{name: "hello timeout zero", change: func(c *Config) { c.HelloTimeout = 0 }, bad: "hello timeout"},
		{name: "frame limit too small", change: func(c *Config) { c.MaxFrameBytes = 16 }, bad: "max frame bytes"},
		{name: "input rate below tick rate", change: func(c *Config) { c.InputRate = 10 }, bad: "input rate"},
		{name: "negative input burst", change: func(c *Config) { c.InputBurst = -1 }, bad: "input burst"},
		{name: "input queue zero", change: func(c *Config) { c.InputQueue = 0 }, bad: "input queue"},
		{name: "input delay zero", change: func(c *Config) { c.InputDelay = 0 }, bad: "input delay"},
		{name: "input delay the whole queue", change: func(c *Config) { c.InputDelay = c.InputQueue }},
		{name: "input delay past the queue", change: func(c *Config) { c.InputDelay = c.InputQueue + 1 }, bad: "input delay"},
		{name: "send queue tiny", change: func(c *Config) { c.SendQueue = 10 }, bad: "send queue"},
		{name: "slow client timeout zero", change: func(c *Config) { c.SlowClientTimeout = 0 }, bad: "slow client timeout"},
		{name: "negative socket buffer", change: func(c *Config) { c.SocketSendBuffer = -1 }, bad: "socket send buffer"},
		{name: "max conns per ip zero", change: func(c *Config) { c.MaxConnsPerIP = 0 }, bad: "max conns per ip"},
		{name: "negative empty room ttl", change: func(c *Config) { c.EmptyRoomTTL = -time.Second }, bad: "empty room ttl"},
		{name: "shutdown timeout zero", change: func(c *Config) { c.ShutdownTimeout = 0 }, bad: "shutdown timeout"},
		{name: "no fill bots", change: func(c *Config) { c.FillBots = 0 }},
		{name: "more fill bots than seats", change: func(c *Config) { c.FillBots = c.RoomCapacity + 1 }},
		{name: "negative fill bots", change: func(c *Config) { c.FillBots = -1 }, bad: "fill bots"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.change(&cfg)
			err := cfg.Validate()
			if tt.bad == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), tt.bad)
		})
	}
}

func TestConfigFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(t *testing.T, c Config)
		bad   string
	}{
		{name: "defaults", check: func(t *testing.T, c Config) { assert.Equal(t, DefaultConfig(), c) }},
		{name: "environment", env: map[string]string{"SKIRMISH_ADDR": "127.0.0.1:9", "SKIRMISH_TICK_RATE": "60", "SKIRMISH_AOI": "false", "SKIRMISH_RESUME_GRACE": "3s", "SKIRMISH_LOG_LEVEL": "debug"},
			check: func(t *testing.T, c Config) {
				assert.Equal(t, "127.0.0.1:9", c.Addr)
				assert.Equal(t, 60, c.TickRate)
				assert.False(t, c.AOI)
				assert.Equal(t, 3*time.Second, c.ResumeGrace)
				assert.Equal(t, slog.LevelDebug, c.LogLevel)
			}},
		{name: "flags beat the environment", env: map[string]string{"SKIRMISH_ADDR": "127.0.0.1:9"}, args: []string{"-addr", "127.0.0.1:10", "-web", "/srv/web", "-seed", "7"},
			check: func(t *testing.T, c Config) {
				assert.Equal(t, "127.0.0.1:10", c.Addr)
				assert.Equal(t, "/srv/web", c.WebDir)
				assert.Equal(t, uint64(7), c.Seed)
			}},
		{name: "bad environment value", env: map[string]string{"SKIRMISH_TICK_RATE": "fast"}, bad: "SKIRMISH_TICK_RATE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			err := cfg.registerFlags(fs, func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			require.NoError(t, fs.Parse(tt.args))
			err = errors.Join(err, cfg.Validate())
			if tt.bad != "" {
				require.ErrorIs(t, err, ErrInvalidConfig)
				assert.Contains(t, err.Error(), tt.bad)
				return
			}
			require.NoError(t, err)
			tt.check(t, cfg)
		})
	}
}

func TestEveryFlagNamesItsVariable(t *testing.T) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	require.NoError(t, cfg.RegisterFlags(fs))
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		assert.Contains(t, f.Usage, "["+EnvName(f.Name)+"]")
	})
	fields := reflect.TypeOf(Config{}).NumField() - 1 // all but NewSim
	assert.Equal(t, fields, n, "one flag per Config field")
}
