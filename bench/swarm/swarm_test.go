package swarm

import (
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/bot"
)

// refusedURL is a loopback URL nothing listens on.
func refusedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "ws://" + addr + "/ws"
}

func config(url string, bots int, ramp time.Duration) Config {
	return Config{
		Bot:  bot.Config{URL: url, Behavior: bot.Wander, ConnectTimeout: 2 * time.Second, PingInterval: time.Second},
		Bots: bots, PerRoom: 2, Ramp: ramp, TickRate: 30, Seed: 1,
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
	}{
		{name: "no url", mutate: func(c *Config) { c.Bot.URL = "" }},
		{name: "no bots", mutate: func(c *Config) { c.Bots = 0 }},
		{name: "negative ramp", mutate: func(c *Config) { c.Ramp = -1 }},
		{name: "negative churn", mutate: func(c *Config) { c.Churn = -1 }},
		{name: "no tick rate", mutate: func(c *Config) { c.TickRate = 0 }},
		{name: "no ping interval", mutate: func(c *Config) { c.Bot.PingInterval = 0 }},
		{name: "share past its count", mutate: func(c *Config) { c.Share = Share{Index: 2, Of: 2} }},
		{name: "share with more workers than bots", mutate: func(c *Config) { c.Share = Share{Index: 3, Of: 4} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config("ws://127.0.0.1:1/ws", 3, 0)
			require.NoError(t, c.Validate())
			tt.mutate(&c)
			assert.ErrorIs(t, c.Validate(), ErrConfig)
		})
	}
	assert.Equal(t, 2, config("ws://x", 3, 0).Rooms())
}

func TestConnectFailuresAreCounted(t *testing.T) {
	rec := bot.NewRecorder()
	s, err := New(config(refusedURL(t), 3, 0), rec, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s.Start(t.Context())
	select {
	case <-s.Ramped():
	case <-time.After(10 * time.Second):
		t.Fatal("ramp did not end")
	}
	require.NoError(t, s.Stop(5*time.Second))
	assert.Equal(t, uint64(3), rec.Errors.Load())
	assert.Equal(t, map[string]uint64{bot.ErrKindConnect: 3}, rec.ErrorKinds())
	assert.Zero(t, rec.Connected.Load())
}

func TestStopDuringRamp(t *testing.T) {
	rec := bot.NewRecorder()
	s, err := New(config(refusedURL(t), 50, time.Hour), rec, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	s.Start(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Stop(5 * time.Second) }()
	select {
	case err := <-done:
		require.NoError(t, err, "bots never connected are closed too")
	case <-time.After(10 * time.Second):
		t.Fatal("Stop hung on an hour-long ramp")
	}
	assert.LessOrEqual(t, rec.Errors.Load(), uint64(1), "at most the first bot tried")
}

func TestObserverCount(t *testing.T) {
	tests := []struct {
		name                     string
		bots, perRoom, observers int
		room                     string
		want                     int
	}{
		{name: "none", bots: 100, perRoom: 50, observers: 0, want: 0},
		{name: "two per room", bots: 100, perRoom: 50, observers: 2, want: 4},
		{name: "a short last room", bots: 101, perRoom: 50, observers: 2, want: 5},
		{name: "more than a room holds", bots: 30, perRoom: 10, observers: 20, want: 30},
		{name: "one named room", bots: 30, perRoom: 10, observers: 2, room: "lobby", want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Config{Bot: bot.Config{URL: "ws://127.0.0.1:1/ws", ConnectTimeout: time.Second, PingInterval: time.Second},
				Bots: tt.bots, PerRoom: tt.perRoom, Observers: tt.observers, Room: tt.room, TickRate: 30}
			assert.Equal(t, tt.want, c.ObserverCount())
			s, err := New(c, bot.NewRecorder(), slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			n := 0
			for _, sl := range s.slots {
				if sl.observer {
					n++
				}
			}
			assert.Equal(t, tt.want, n, "slots made observers")
		})
	}
}

// The shares of a run hold every bot once, as the one-process run names,
// seeds, rooms and times them.
func TestSharesMakeTheRun(t *testing.T) {
	cfg := config("ws://127.0.0.1:1/ws", 7, time.Second)
	cfg.Observers = 1
	whole, err := New(cfg, bot.NewRecorder(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	byName := map[string]*slot{}
	for _, sl := range whole.slots {
		byName[sl.name] = sl
	}
	for _, of := range []int{2, 3} {
		seen := 0
		for k := range of {
			cfg.Share = Share{Index: k, Of: of}
			part, err := New(cfg, bot.NewRecorder(), slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			for _, sl := range part.slots {
				w, ok := byName[sl.name]
				require.True(t, ok, sl.name)
				assert.Equal(t, [4]any{w.room, w.seed, w.at, w.observer}, [4]any{sl.room, sl.seed, sl.at, sl.observer}, sl.name)
				assert.Equal(t, k, sl.at%of)
				seen++
			}
		}
		assert.Equal(t, len(whole.slots), seen, "%d shares hold every bot once", of)
	}
}
