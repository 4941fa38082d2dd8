package app

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/netcode"
)

// Named defaults for Config.
const (
	DefaultServer           = "ws://127.0.0.1:8080/ws"
	DefaultWidth            = 1280
	DefaultHeight           = 720
	DefaultScreenshotFrames = 120
	DefaultView             = render.DefaultView

	minWidth, minHeight = 320, 240
)

// Environment variables read by ApplyEnv; flags override them.
const (
	EnvServer           = "SKIRMISH_SERVER"
	EnvName             = "SKIRMISH_NAME"
	EnvRoom             = "SKIRMISH_ROOM"
	EnvAutoplay         = "SKIRMISH_AUTOPLAY"
	EnvScreenshot       = "SKIRMISH_SCREENSHOT"
	EnvScreenshotFrames = "SKIRMISH_SCREENSHOT_FRAMES"
	EnvScreenshotOf     = "SKIRMISH_SCREENSHOT_OF"
	EnvSimLatency       = "SKIRMISH_SIM_LATENCY"
	EnvSimJitter        = "SKIRMISH_SIM_JITTER"
	EnvSimStall         = "SKIRMISH_SIM_STALL"
)

// ErrConfig is wrapped by every error Validate and ApplyEnv return.
var ErrConfig = errors.New("app: invalid config")

// Config is everything the client is started with.
type Config struct {
	Server   string // ws:// or wss:// URL of the server's /ws
	Name     string // player name; empty: asked for on the connect screen (or made up under autoplay)
	Room     string // room to join; empty: the server picks one
	Autoplay bool   // skip the connect screen and fly a scripted pattern

	// Screenshot, when set, is a PNG path: after ScreenshotFrames frames in
	// the game the client writes the screen there and exits with status 0.
	Screenshot       string
	ScreenshotFrames int
	// ScreenshotOf is the scene the frames are counted in: StatePlaying
	// (empty: the game, playing or dead), StateConnect (the lobby, once
	// its room list came) or ShotLevelUp (the game, from a level-up on).
	ScreenshotOf string

	Width, Height int     // initial window size, in logical pixels
	View          float64 // world units shown across the shorter side of the screen

	// Sim is a simulated network between the client and the server, to feel
	// the game at a latency loopback does not have; zero is off.
	Sim transport.Sim
}

// DefaultConfig returns the named defaults.
func DefaultConfig() Config {
	return Config{
		Server: DefaultServer, ScreenshotFrames: DefaultScreenshotFrames,
		Width: DefaultWidth, Height: DefaultHeight, View: DefaultView,
	}
}

// ApplyEnv takes the SKIRMISH_* variables that are set.
func (c *Config) ApplyEnv(getenv func(string) string) error {
	if v := getenv(EnvServer); v != "" {
		c.Server = v
	}
	if v := getenv(EnvName); v != "" {
		c.Name = v
	}
	if v := getenv(EnvRoom); v != "" {
		c.Room = v
	}
	if v := getenv(EnvAutoplay); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%w: %s=%q is not a boolean", ErrConfig, EnvAutoplay, v)
		}
		c.Autoplay = b
	}
	if v := getenv(EnvScreenshot); v != "" {
		c.Screenshot = v
	}
	if v := getenv(EnvScreenshotFrames); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%w: %s=%q is not a number", ErrConfig, EnvScreenshotFrames, v)
		}
		c.ScreenshotFrames = n
	}
	if v := getenv(EnvScreenshotOf); v != "" {
		c.ScreenshotOf = v
	}
	return c.applySim(getenv, EnvSimLatency, EnvSimJitter, EnvSimStall)
}

// applySim takes the simulator's settings that get has under the keys
// latency, jitter and stall (environment variables or URL parameters, named
// in the errors).
func (c *Config) applySim(get func(string) string, latency, jitter, stall string) error {
	for _, d := range []struct {
		key string
		dst *time.Duration
	}{{latency, &c.Sim.Latency}, {jitter, &c.Sim.Jitter}} {
		if v := get(d.key); v != "" {
			p, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("%w: %s=%q is not a duration", ErrConfig, d.key, v)
			}
			*d.dst = p
		}
	}
	if v := get(stall); v != "" {
		if err := c.Sim.Stall.Set(v); err != nil {
			return fmt.Errorf("%w: %s=%q: %w", ErrConfig, stall, v, err)
		}
	}
	return nil
}

// RegisterFlags defines the command-line flags, defaulting to c's values.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Server, "server", c.Server, "server WebSocket URL (env "+EnvServer+")")
	fs.StringVar(&c.Name, "name", c.Name, "player name, up to 16 bytes (env "+EnvName+")")
	fs.StringVar(&c.Room, "room", c.Room, "room to join; empty lets the server pick (env "+EnvRoom+")")
	fs.BoolVar(&c.Autoplay, "autoplay", c.Autoplay, "join at once and fly a scripted pattern (env "+EnvAutoplay+"=1)")
	fs.StringVar(&c.Screenshot, "screenshot", c.Screenshot, "write a PNG of the game here after -screenshot-frames frames, then exit (env "+EnvScreenshot+")")
	fs.IntVar(&c.ScreenshotFrames, "screenshot-frames", c.ScreenshotFrames, "frames in the game before the screenshot (env "+EnvScreenshotFrames+")")
	fs.StringVar(&c.ScreenshotOf, "screenshot-of", c.ScreenshotOf, "scene the screenshot frames count in: playing (the game), connect (the lobby and its room list) or levelup (the game, from the own next level-up) (env "+EnvScreenshotOf+")")
	fs.IntVar(&c.Width, "width", c.Width, "window width")
	fs.IntVar(&c.Height, "height", c.Height, "window height")
	fs.Float64Var(&c.View, "view", c.View, "world units across the shorter side of the screen")
	fs.DurationVar(&c.Sim.Latency, "sim-latency", c.Sim.Latency, "simulated network: delay added each way, to sends and to receives (env "+EnvSimLatency+")")
	fs.DurationVar(&c.Sim.Jitter, "sim-jitter", c.Sim.Jitter, "simulated network: each message's delay is uniform in latency +- this, in order (env "+EnvSimJitter+")")
	fs.Var(&c.Sim.Stall, "sim-stall", "simulated network: HOLD/EVERY, e.g. 200ms/5s holds everything for 200ms every 5s, as a TCP retransmit (env "+EnvSimStall+")")
}

// ApplyQuery takes the page URL's parameters name, room, autoplay,
// sim_latency, sim_jitter and sim_stall, and the page's own WebSocket URL, in
// a browser.
func (c *Config) ApplyQuery(q url.Values, wsURL string) error {
	if wsURL != "" {
		c.Server = wsURL
	}
	if q.Has("name") {
		c.Name = q.Get("name")
	}
	if q.Has("room") {
		c.Room = q.Get("room")
	}
	if v := q.Get("autoplay"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%w: autoplay=%q is not a boolean", ErrConfig, v)
		}
		c.Autoplay = b
	}
	return c.applySim(q.Get, "sim_latency", "sim_jitter", "sim_stall")
}

// Validate reports the first unusable field.
func (c Config) Validate() error {
	u, err := url.Parse(c.Server)
	switch {
	case err != nil:
		return fmt.Errorf("%w: server %q: %w", ErrConfig, c.Server, err)
	case u.Scheme != "ws" && u.Scheme != "wss" || u.Host == "":
		return fmt.Errorf("%w: server %q is not a ws:// or wss:// URL", ErrConfig, c.Server)
	case len(c.Name) > netcode.MaxNameLen || !utf8.ValidString(c.Name):
		return fmt.Errorf("%w: name %q is not valid UTF-8 of at most %d bytes", ErrConfig, c.Name, netcode.MaxNameLen)
	case netcode.ValidateRoomName(c.Room) != nil:
		return fmt.Errorf("%w: room %q is not at most %d of [A-Za-z0-9_-]", ErrConfig, c.Room, netcode.MaxRoomLen)
	case c.ScreenshotOf != "" && c.ScreenshotOf != StatePlaying && c.ScreenshotOf != StateConnect && c.ScreenshotOf != ShotLevelUp:
		return fmt.Errorf("%w: screenshot of %q is not %q, %q or %q", ErrConfig, c.ScreenshotOf, StatePlaying, StateConnect, ShotLevelUp)
	case c.ScreenshotFrames < 1:
		return fmt.Errorf("%w: screenshot frames %d below 1", ErrConfig, c.ScreenshotFrames)
	case c.Width < minWidth || c.Height < minHeight:
		return fmt.Errorf("%w: window %dx%d below %dx%d", ErrConfig, c.Width, c.Height, minWidth, minHeight)
	case !(c.View >= 100 && c.View <= 10000):
		return fmt.Errorf("%w: view %v outside 100..10000", ErrConfig, c.View)
	}
	if err := c.Sim.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}

// LoadConfig builds the Config: defaults, then the environment, then args
// (flags), then, in a browser, the page's URL.
func LoadConfig(args []string, getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	if err := c.ApplyEnv(getenv); err != nil {
		return c, err
	}
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	c.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if inBrowser() {
		if err := c.ApplyQuery(pageQuery(), pageWebSocketURL()); err != nil {
			return c, err
		}
	}
	return c, c.Validate()
}
