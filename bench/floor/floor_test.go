package floor

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/netcode"
)

func TestSnapshotSize(t *testing.T) {
	cases := []struct {
		name string
		size int
	}{
		{name: "the smallest", size: minSnapshotBytes},
		{name: "a small room", size: 500},
		{name: "the default", size: DefaultSnapshotBytes},
		{name: "a crowd", size: 20000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, n := entityBody(tc.size)
			// The widest head: every number in five bytes.
			msg := appendSnapshot(nil, math.MaxUint32, math.MaxUint32, body, n)
			var d netcode.Delta
			require.NoError(t, netcode.DecodeDelta(msg, &d))
			require.Len(t, d.Changes, n)
			assert.Zero(t, d.Baseline, "a full snapshot")
			assert.LessOrEqual(t, len(msg), tc.size)
			next := drone(n)
			one := len(netcode.AppendEntityDelta(nil, netcode.CreateMask(&next), &next))
			assert.Greater(t, len(msg)+one, tc.size, "no room for one more entity")
		})
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		ok   bool
	}{
		{name: "defaults", edit: func(*Config) {}, ok: true},
		{name: "no tick rate", edit: func(c *Config) { c.TickRate = 0 }},
		{name: "snapshot too small", edit: func(c *Config) { c.SnapshotBytes = 10 }},
		{name: "snapshot too big", edit: func(c *Config) { c.SnapshotBytes = maxSnapshotBytes + 1 }},
		{name: "frames too small", edit: func(c *Config) { c.MaxFrameBytes = 10 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrConfig)
			}
		})
	}
}

// TestBotsAgainstTheFloor runs the bench's own bots, lean ones and
// observers, against a floor server for about two seconds.
func TestBotsAgainstTheFloor(t *testing.T) {
	const bots, observers = 20, 2
	srv, url := serve(t, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})))

	rec := bot.NewRecorder()
	cfg := &bot.Config{URL: url, Behavior: bot.Wander, ConnectTimeout: bot.DefaultConnectTimeout, PingInterval: 200 * time.Millisecond}
	swarm := make([]*bot.Bot, bots)
	for i := range swarm {
		name := fmt.Sprintf("b%d", i)
		if i < observers {
			swarm[i] = bot.New(cfg, rec, name, "r", uint64(i+1))
		} else {
			swarm[i] = bot.NewLean(cfg, rec, name, "r", uint64(i+1))
		}
		require.NoError(t, swarm[i].Connect(t.Context()))
		t.Cleanup(swarm[i].Close)
	}

	// The bots send inputs at the tick rate, as the bench's scheduler does,
	// until every one has had two seconds of snapshots.
	ticker := time.NewTicker(time.Second / DefaultTickRate)
	defer ticker.Stop()
	deadline := time.After(10 * time.Second)
	for rec.SnapshotsReceived.Load() < bots*2*DefaultTickRate || rec.ObserverSnapshots.Load() < observers*2*DefaultTickRate {
		select {
		case now := <-ticker.C:
			for _, b := range swarm {
				b.Step(now)
			}
		case <-deadline:
			t.Fatalf("only %d snapshots in 10 s", rec.SnapshotsReceived.Load())
		}
	}

	assert.Zero(t, rec.Errors.Load(), "errors %v, first %v", rec.ErrorKinds(), rec.FirstErrors())
	assert.Equal(t, uint64(bots), rec.Welcomed.Load())
	assert.Equal(t, rec.ObserverSnapshots.Load(), rec.SnapshotsApplied.Load(), "every observer applied every snapshot")
	assert.Positive(t, rec.Latency.Snapshot(nil).Total(), "inputs were covered by a snapshot's last seq")
	assert.Positive(t, rec.RTT.Snapshot(nil).Total(), "pings were answered")
	assert.Positive(t, srv.Entities())
}

// serve runs a floor server with the default config on 127.0.0.1:0 until
// the test ends and returns it with its WebSocket URL.
func serve(t *testing.T, log *slog.Logger) (*Server, string) {
	t.Helper()
	return serveConfig(t, DefaultConfig(), log)
}

// serveConfig is serve with cfg.
func serveConfig(t *testing.T, cfg Config, log *slog.Logger) (*Server, string) {
	t.Helper()
	srv, err := New(cfg, log)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-served)
	})
	return srv, "ws://" + ln.Addr().String() + "/ws"
}
