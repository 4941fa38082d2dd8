package loadtest

import (
	"flag"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/cpuset"
	"github.com/skirmish-game/skirmish/bench/floor"
	"github.com/skirmish-game/skirmish/client/transport"
)

func TestDefaultConfigIsValid(t *testing.T) {
	require.NoError(t, DefaultConfig().Validate())
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *Config)
		ok     bool
	}{
		{name: "loopback url", mutate: func(c *Config) { c.URL = "ws://127.0.0.1:8080/ws" }, ok: true},
		{name: "localhost url", mutate: func(c *Config) { c.URL = "ws://localhost:8080/ws" }, ok: true},
		{name: "ipv6 loopback url", mutate: func(c *Config) { c.URL = "ws://[::1]:8080/ws" }, ok: true},
		{name: "remote url", mutate: func(c *Config) { c.URL = "ws://10.0.0.1:8080/ws" }, ok: true},
		{name: "named remote url", mutate: func(c *Config) { c.URL = "ws://example.com/ws" }, ok: true},
		{name: "wss url", mutate: func(c *Config) { c.URL = "wss://staging.example.com/ws" }, ok: true},
		{name: "http url", mutate: func(c *Config) { c.URL = "http://127.0.0.1:8080/ws" }},
		{name: "url without host", mutate: func(c *Config) { c.URL = "ws:///ws" }},
		{name: "not a url", mutate: func(c *Config) { c.URL = "ws://%zz" }},
		{name: "server cpus", mutate: func(c *Config) { c.ServerCPUs = mustCPUs(t, "0") }, ok: true},
		{name: "server cpus with url", mutate: func(c *Config) { c.URL, c.ServerCPUs = "ws://127.0.0.1:1/ws", mustCPUs(t, "0") }},
		{name: "bots cpus with url", mutate: func(c *Config) { c.URL, c.BotsCPUs = "ws://127.0.0.1:1/ws", mustCPUs(t, "0") }, ok: true},
		{name: "pprof with url", mutate: func(c *Config) { c.URL, c.Pprof = "ws://127.0.0.1:1/ws", "p.out" }},
		{name: "match with url", mutate: func(c *Config) { c.URL, c.Match = "ws://127.0.0.1:1/ws", true }, ok: true},
		{name: "match without url", mutate: func(c *Config) { c.Match = true }},
		{name: "metrics url", mutate: func(c *Config) { c.URL, c.MetricsURL = "ws://127.0.0.1:1/ws", "http://127.0.0.1:2/metrics" }, ok: true},
		{name: "https metrics url", mutate: func(c *Config) {
			c.URL, c.MetricsURL = "wss://staging.example.com/ws", "https://admin.example.com/metrics"
		}, ok: true},
		{name: "ws metrics url", mutate: func(c *Config) { c.URL, c.MetricsURL = "ws://127.0.0.1:1/ws", "ws://127.0.0.1:2/metrics" }},
		{name: "metrics url without host", mutate: func(c *Config) { c.URL, c.MetricsURL = "ws://127.0.0.1:1/ws", "http:///metrics" }},
		{name: "metrics url without url", mutate: func(c *Config) { c.MetricsURL = "http://127.0.0.1:2/metrics" }},
		{name: "no bots", mutate: func(c *Config) { c.Bots = 0 }},
		{name: "no per-room", mutate: func(c *Config) { c.PerRoom = 0 }},
		{name: "negative ramp", mutate: func(c *Config) { c.Ramp = -time.Second }},
		{name: "no window", mutate: func(c *Config) { c.Duration = c.Ramp + c.Settle }},
		{name: "tick rate", mutate: func(c *Config) { c.TickRate = 0 }},
		{name: "behavior", mutate: func(c *Config) { c.Behavior = bot.Behavior(9) }},
		{name: "scenario", mutate: func(c *Config) { c.Scenario = "huge" }},
		{name: "ref scenario", mutate: func(c *Config) { c.Scenario = ScenarioRef }, ok: true},
		{name: "rooms100 scenario", mutate: func(c *Config) { c.Scenario = ScenarioRooms100 }, ok: true},
		{name: "one named room", mutate: func(c *Config) { c.Room = "lobby" }, ok: true},
		{name: "room with a space", mutate: func(c *Config) { c.Room = "my room" }},
		{name: "plot extension", mutate: func(c *Config) { c.PlotPath = "x.jpg" }},
		{name: "plot html", mutate: func(c *Config) { c.PlotPath = "x.html" }, ok: true},
		{name: "capacity", mutate: func(c *Config) { c.Capacity = true }, ok: true},
		{name: "capacity steps", mutate: func(c *Config) { c.Capacity, c.CapacitySteps = true, 0 }},
		{name: "capacity short steps", mutate: func(c *Config) { c.Capacity, c.StepDuration = true, time.Second }},
		{name: "connect timeout", mutate: func(c *Config) { c.ConnectTimeout = 0 }},
		{name: "soak", mutate: func(c *Config) { c.Soak, c.Duration = true, DefaultSoakDuration }, ok: true},
		{name: "soak of 30s sampled every second", mutate: func(c *Config) { c.Soak, c.SoakEvery, c.SoakWarmup = true, time.Second, 0 }, ok: true},
		{name: "soak all warm-up", mutate: func(c *Config) { c.Soak, c.Duration, c.SoakWarmup = true, DefaultSoakDuration, DefaultSoakDuration }},
		{name: "soak negative warm-up", mutate: func(c *Config) { c.Soak, c.Duration, c.SoakWarmup = true, DefaultSoakDuration, -time.Second }},
		{name: "soak too short for its samples", mutate: func(c *Config) { c.Soak, c.Duration = true, 20*time.Second }},
		{name: "soak without samples", mutate: func(c *Config) { c.Soak, c.SoakEvery = true, 0 }},
		{name: "soak and capacity", mutate: func(c *Config) { c.Soak, c.Capacity = true, true }},
		{name: "churn", mutate: func(c *Config) { c.Churn = time.Second }, ok: true},
		{name: "negative churn", mutate: func(c *Config) { c.Churn = -time.Second }},
		{name: "sim", mutate: func(c *Config) {
			c.Sim = transport.Sim{Latency: 75 * time.Millisecond, Jitter: 10 * time.Millisecond, Stall: transport.Stall{Hold: 200 * time.Millisecond, Every: 5 * time.Second}}
		}, ok: true},
		{name: "workers", mutate: func(c *Config) { c.Workers, c.NATS, c.URL = 3, "nats://127.0.0.1:4222", "ws://10.0.0.1:8080/ws" }, ok: true},
		{name: "workers without nats", mutate: func(c *Config) { c.Workers, c.URL = 3, "ws://10.0.0.1:8080/ws" }},
		{name: "workers without a url", mutate: func(c *Config) { c.Workers, c.NATS = 3, "nats://127.0.0.1:4222" }},
		{name: "workers and capacity", mutate: func(c *Config) {
			c.Workers, c.NATS, c.URL, c.Capacity = 3, "nats://127.0.0.1:4222", "ws://10.0.0.1:8080/ws", true
		}},
		{name: "more workers than bots", mutate: func(c *Config) {
			c.Workers, c.NATS, c.URL, c.Bots = 3, "nats://127.0.0.1:4222", "ws://10.0.0.1:8080/ws", 2
		}},
		{name: "negative join timeout", mutate: func(c *Config) { c.JoinTimeout = -time.Second }},
		{name: "sim jitter above latency", mutate: func(c *Config) { c.Sim = transport.Sim{Latency: time.Millisecond, Jitter: 2 * time.Millisecond} }},
		{name: "sim stall without a period", mutate: func(c *Config) { c.Sim.Stall = transport.Stall{Hold: time.Second} }},
		{name: "floor", mutate: func(c *Config) { c.Floor = true }, ok: true},
		{name: "floor with a capacity search", mutate: func(c *Config) { c.Floor, c.Capacity = true, true }, ok: true},
		{name: "floor with url", mutate: func(c *Config) { c.Floor, c.URL = true, "ws://127.0.0.1:8080/ws" }},
		{name: "floor soak", mutate: func(c *Config) { c.Floor, c.Soak, c.Duration = true, true, time.Hour }},
		{name: "floor bytes too few", mutate: func(c *Config) { c.Floor, c.FloorBytes = true, 10 }},
		{name: "floor bytes unused without floor", mutate: func(c *Config) { c.FloorBytes = 10 }, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.mutate(&c)
			err := c.Validate()
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrConfig)
		})
	}
}

func TestFlagsAndScenario(t *testing.T) {
	c := DefaultConfig()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{"-scenario", "ref", "-bots", "1000", "-aoi=false", "-deltas=false", "-behavior", "fight", "-seed", "9", "-server-log", "error"}))
	require.NoError(t, c.Validate())
	assert.Equal(t, 1000, c.Bots)
	assert.False(t, c.AOI)
	assert.False(t, c.Deltas)
	assert.Equal(t, uint64(9), c.Seed)

	r := c.resolved()
	assert.Equal(t, 1000, r.PerRoom, "ref: one room of every bot")
	assert.Equal(t, bot.Wander, r.Behavior, "ref: random walk, no firing")
	assert.Equal(t, refTickRate, r.TickRate)
	assert.Equal(t, 1, r.rooms())
}

func TestRooms100Scenario(t *testing.T) {
	c := DefaultConfig()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{"-scenario", "rooms100", "-bots", "2000", "-per-room", "7", "-behavior", "fight", "-tick-rate", "60"}))
	require.NoError(t, c.Validate())

	r := c.resolved()
	assert.Equal(t, 100, r.PerRoom, "rooms of 100, whatever -per-room said")
	assert.Equal(t, 20, r.rooms())
	assert.Equal(t, bot.Wander, r.Behavior, "random walk, no firing, as ref")
	assert.Equal(t, refTickRate, r.TickRate)
	assert.True(t, r.AOI, "area of interest on, as ref")
	assert.True(t, r.Deltas, "deltas on, as ref")
}

func TestFloorFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		floor bool
		bytes int
	}{
		{name: "off", args: nil, bytes: floor.DefaultSnapshotBytes},
		{name: "on, default bytes", args: []string{"-floor"}, floor: true, bytes: floor.DefaultSnapshotBytes},
		{name: "on, bytes given", args: []string{"-floor", "-floor-bytes", "1500"}, floor: true, bytes: 1500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			fs := flag.NewFlagSet("bench", flag.ContinueOnError)
			c.RegisterFlags(fs)
			require.NoError(t, fs.Parse(tt.args))
			require.NoError(t, c.Validate())
			assert.Equal(t, tt.floor, c.Floor)
			assert.Equal(t, tt.bytes, c.FloorBytes)
		})
	}
}

func mustCPUs(t *testing.T, list string) cpuset.Set {
	t.Helper()
	s, err := cpuset.Parse(list)
	require.NoError(t, err)
	return s
}

func TestCPUFlags(t *testing.T) {
	tests := []struct {
		name           string
		args           []string
		server, bots   string
		wantParseError bool
	}{
		{name: "unpinned", args: nil},
		{name: "both", args: []string{"-server-cpus", "0", "-bots-cpus", "0"}, server: "0", bots: "0"},
		{name: "a cpu the machine lacks", args: []string{"-server-cpus", strconv.Itoa(runtime.NumCPU())}, wantParseError: true},
		{name: "not a list", args: []string{"-bots-cpus", "one"}, wantParseError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			fs := flag.NewFlagSet("bench", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c.RegisterFlags(fs)
			err := fs.Parse(tt.args)
			if tt.wantParseError {
				// flag does not wrap a Value's error; its text is kept.
				assert.ErrorContains(t, err, cpuset.ErrList.Error())
				return
			}
			require.NoError(t, err)
			require.NoError(t, c.Validate())
			assert.Equal(t, tt.server, c.ServerCPUs.String())
			assert.Equal(t, tt.bots, c.BotsCPUs.String())
		})
	}
}

func TestSimFlags(t *testing.T) {
	c := DefaultConfig()
	assert.False(t, c.Sim.On(), "off by default")
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{"-sim-latency", "75ms", "-sim-jitter", "10ms", "-sim-stall", "200ms/5s"}))
	require.NoError(t, c.Validate())
	assert.Equal(t, transport.Sim{Latency: 75 * time.Millisecond, Jitter: 10 * time.Millisecond,
		Stall: transport.Stall{Hold: 200 * time.Millisecond, Every: 5 * time.Second}}, c.Sim)
	assert.Error(t, fs.Parse([]string{"-sim-stall", "5s"}), "HOLD/EVERY")
}

func TestNamedRoomHoldsEveryBot(t *testing.T) {
	c := DefaultConfig()
	c.Bots, c.Room = 30, "lobby"
	require.NoError(t, c.Validate())
	r := c.resolved()
	assert.Equal(t, 30, r.PerRoom)
	assert.Equal(t, 1, r.rooms())
}

func TestSoakModeDefaults(t *testing.T) {
	tests := []struct {
		name         string
		args         []string
		wantDuration time.Duration
		wantChurn    time.Duration
	}{
		{name: "not a soak", args: nil, wantDuration: DefaultDuration, wantChurn: 0},
		{name: "soak", args: []string{"-soak"}, wantDuration: DefaultSoakDuration, wantChurn: DefaultSoakChurn},
		{name: "soak with its own duration", args: []string{"-soak", "-duration", "11m"}, wantDuration: 11 * time.Minute, wantChurn: DefaultSoakChurn},
		{name: "soak without churn", args: []string{"-soak", "-churn", "0"}, wantDuration: DefaultSoakDuration, wantChurn: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			fs := flag.NewFlagSet("bench", flag.ContinueOnError)
			c.RegisterFlags(fs)
			require.NoError(t, fs.Parse(tt.args))
			c.ApplyModeDefaults(fs)
			require.NoError(t, c.Validate())
			assert.Equal(t, tt.wantDuration, c.Duration)
			assert.Equal(t, tt.wantChurn, c.Churn)
		})
	}
}
