package app

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want func(*Config)
	}{
		{"defaults", nil, nil, func(*Config) {}},
		{"flags", []string{"-server", "ws://127.0.0.1:9/ws", "-name", "Alice", "-room", "lobby", "-autoplay"}, nil, func(c *Config) {
			c.Server, c.Name, c.Room, c.Autoplay = "ws://127.0.0.1:9/ws", "Alice", "lobby", true
		}},
		{"env", nil, map[string]string{EnvAutoplay: "1", EnvScreenshot: "/tmp/s.png", EnvScreenshotFrames: "30", EnvName: "Bob"}, func(c *Config) {
			c.Autoplay, c.Screenshot, c.ScreenshotFrames, c.Name = true, "/tmp/s.png", 30, "Bob"
		}},
		{"screenshot of the lobby", []string{"-screenshot-of", "connect"}, nil, func(c *Config) { c.ScreenshotOf = StateConnect }},
		{"screenshot of, env", nil, map[string]string{EnvScreenshotOf: "playing"}, func(c *Config) { c.ScreenshotOf = StatePlaying }},
		{"flags beat env", []string{"-name", "Carol"}, map[string]string{EnvName: "Bob"}, func(c *Config) { c.Name = "Carol" }},
		{"sim flags", []string{"-sim-latency", "75ms", "-sim-jitter", "10ms", "-sim-stall", "200ms/5s"}, nil, func(c *Config) {
			c.Sim = transport.Sim{Latency: 75 * time.Millisecond, Jitter: 10 * time.Millisecond, Stall: transport.Stall{Hold: 200 * time.Millisecond, Every: 5 * time.Second}}
		}},
		{"sim env", nil, map[string]string{EnvSimLatency: "40ms", EnvSimJitter: "5ms", EnvSimStall: "1s/10s"}, func(c *Config) {
			c.Sim = transport.Sim{Latency: 40 * time.Millisecond, Jitter: 5 * time.Millisecond, Stall: transport.Stall{Hold: time.Second, Every: 10 * time.Second}}
		}},
		{"sim flag beats env", []string{"-sim-latency", "0"}, map[string]string{EnvSimLatency: "40ms"}, func(*Config) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadConfig(tc.args, env(tc.env))
			require.NoError(t, err)
			want := DefaultConfig()
			tc.want(&want)
			assert.Equal(t, want, got)
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"http url", []string{"-server", "http://x/ws"}, nil},
		{"long name", []string{"-name", "abcdefghijklmnopq"}, nil},
		{"room alphabet", []string{"-room", "a b"}, nil},
		{"zero frames", []string{"-screenshot-frames", "0"}, nil},
		{"screenshot of a scene it cannot wait for", []string{"-screenshot-of", "dead"}, nil},
		{"tiny window", []string{"-width", "10"}, nil},
		{"bad env bool", nil, map[string]string{EnvAutoplay: "yes please"}},
		{"bad env number", nil, map[string]string{EnvScreenshotFrames: "many"}},
		{"negative sim latency", []string{"-sim-latency", "-5ms"}, nil},
		{"sim jitter above latency", []string{"-sim-latency", "5ms", "-sim-jitter", "10ms"}, nil},
		{"bad env sim latency", nil, map[string]string{EnvSimLatency: "slow"}},
		{"bad env sim stall", nil, map[string]string{EnvSimStall: "often"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig(tc.args, env(tc.env))
			assert.ErrorIs(t, err, ErrConfig)
		})
	}
}

func TestApplyQuery(t *testing.T) {
	c := DefaultConfig()
	q, err := url.ParseQuery("name=Dee&room=r2&autoplay=1")
	require.NoError(t, err)
	require.NoError(t, c.ApplyQuery(q, "wss://example.test/ws"))
	assert.Equal(t, "wss://example.test/ws", c.Server)
	assert.Equal(t, "Dee", c.Name)
	assert.Equal(t, "r2", c.Room)
	assert.True(t, c.Autoplay)
	assert.NoError(t, c.Validate())
}

// The flag package reports a value its Set refuses without wrapping the error.
func TestSimStallFlagRefused(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"no period", "200ms"},
		{"hold past its period", "5s/1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig([]string{"-sim-stall", tc.value}, env(nil))
			assert.ErrorContains(t, err, "-sim-stall")
		})
	}
}

func TestApplyQuerySim(t *testing.T) {
	for _, tc := range []struct {
		name  string
		query string
		want  transport.Sim
		bad   bool
	}{
		{name: "none", query: "name=Dee"},
		{name: "all three", query: "sim_latency=75ms&sim_jitter=10ms&sim_stall=200ms/5s",
			want: transport.Sim{Latency: 75 * time.Millisecond, Jitter: 10 * time.Millisecond, Stall: transport.Stall{Hold: 200 * time.Millisecond, Every: 5 * time.Second}}},
		{name: "latency not a duration", query: "sim_latency=75", bad: true},
		{name: "stall not hold/every", query: "sim_stall=200ms", bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			q, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			err = c.ApplyQuery(q, "")
			if tc.bad {
				assert.ErrorIs(t, err, ErrConfig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Sim)
			assert.NoError(t, c.Validate())
		})
	}
}
