package app

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
		{"flags beat env", []string{"-name", "Carol"}, map[string]string{EnvName: "Bob"}, func(c *Config) { c.Name = "Carol" }},
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
		{"tiny window", []string{"-width", "10"}, nil},
		{"bad env bool", nil, map[string]string{EnvAutoplay: "yes please"}},
		{"bad env number", nil, map[string]string{EnvScreenshotFrames: "many"}},
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
