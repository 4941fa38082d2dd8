package attack

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/serverproc"
	"github.com/skirmish-game/skirmish/server/engine"
)

func TestParseRows(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []int
		wantErr bool
	}{
		{name: "all", in: "all", want: []int{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{name: "one", in: "8", want: []int{8}},
		{name: "list and range", in: "1,3-5", want: []int{1, 3, 4, 5}},
		{name: "duplicates once", in: "2,2,1-2", want: []int{2, 1}},
		{name: "spaces", in: " 9 , 7 ", want: []int{9, 7}},
		{name: "zero", in: "0", wantErr: true},
		{name: "past the table", in: "10", wantErr: true},
		{name: "backwards range", in: "5-3", wantErr: true},
		{name: "word", in: "ping", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRows(tt.in)
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrConfig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDialerRefusesOtherHosts(t *testing.T) {
	tests := []struct {
		name, host, src string
		ok              bool
	}{
		{name: "loopback both", host: "127.0.0.1:80", src: "127.0.0.2", ok: true},
		{name: "remote target", host: "10.0.0.1:80", src: "127.0.0.2"},
		{name: "remote source", host: "127.0.0.1:80", src: "10.0.0.1"},
		{name: "no port", host: "127.0.0.1", src: "127.0.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newDialer(tt.host, tt.src)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		ok     bool
	}{
		{name: "defaults", change: func(*Config) {}, ok: true},
		{name: "external with pid", change: func(c *Config) { c.URL, c.Pid = "ws://127.0.0.1:1/ws", 42 }, ok: true},
		{name: "no honest bots", change: func(c *Config) { c.Honest = 0 }, ok: true},
		{name: "remote url", change: func(c *Config) { c.URL = "ws://10.1.1.1/ws" }},
		{name: "wss url", change: func(c *Config) { c.URL = "wss://127.0.0.1/ws" }},
		{name: "pid without url", change: func(c *Config) { c.Pid = 42 }},
		{name: "server flags with url", change: func(c *Config) { c.URL, c.ServerFlags = "ws://127.0.0.1:1/ws", []string{"-max-rooms=4"} }},
		{name: "remote attacker source", change: func(c *Config) { c.AttackerIP = "192.0.2.1" }},
		{name: "localhost as a source", change: func(c *Config) { c.ProbeIP = "localhost" }},
		{name: "no rows", change: func(c *Config) { c.Rows = nil }},
		{name: "row out of range", change: func(c *Config) { c.Rows = []int{12} }},
		{name: "too many honest", change: func(c *Config) { c.Honest = maxHonest + 1 }},
		{name: "long cooldown", change: func(c *Config) { c.Cooldown = time.Hour }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrConfig)
		})
	}
}

func TestChildRunsTheEngineDefaults(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ServerFlags = []string{"-max-rooms=7"}
	o := childOptions(cfg, "/tmp/w")
	assert.Equal(t, cfg.ServerFlags, o.ServerFlags)
	ecfg := serverproc.EngineConfig(o)
	def := engine.DefaultConfig()
	assert.Equal(t, "/tmp/w", ecfg.WebDir)
	assert.Equal(t, cfg.TickRate, ecfg.TickRate)
	assert.Equal(t, def.MaxConnsPerIP, ecfg.MaxConnsPerIP, "the limits the attacks measure")
	assert.Equal(t, def.ConnRatePerIP, ecfg.ConnRatePerIP)
	assert.Equal(t, def.MaxSeatsPerIP, ecfg.MaxSeatsPerIP)
	assert.Equal(t, def.AOI, ecfg.AOI)
	assert.Equal(t, def.Deltas, ecfg.Deltas)
}
