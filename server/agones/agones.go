package agones

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/skirmish-game/skirmish/server/engine"
)

// Named defaults; the README documents them.
const (
	DefaultEnabled = false
	// DefaultHealth pings well inside Agones's default health check
	// (a ping every 5 s, 3 missed ones before Unhealthy).
	DefaultHealth = 2 * time.Second
	DefaultPort   = 9358 // the SDK's REST port when EnvPort is not set
	// EnvPort is set by Agones for the game server's process.
	EnvPort = "AGONES_SDK_HTTP_PORT"
)

const (
	requestTimeout = 2 * time.Second
	// readyRetry: the sidecar may start after the game server, so Ready
	// is tried again until it answers.
	readyRetry = 500 * time.Millisecond
)

// Config is the Agones part of a server's settings.
type Config struct {
	Enabled bool          // talk to an Agones sidecar
	Health  time.Duration // time between health pings
	Port    int           // the sidecar's REST port; 0: EnvPort, else DefaultPort
}

// DefaultConfig is a server that knows nothing of Agones.
func DefaultConfig() Config { return Config{Enabled: DefaultEnabled, Health: DefaultHealth} }

// Validate reports the settings out of range.
func (c Config) Validate() error {
	var errs []error
	if c.Health <= 0 {
		errs = append(errs, fmt.Errorf("%w: agones health interval %v must be positive", engine.ErrInvalidConfig, c.Health))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("%w: agones port %d", engine.ErrInvalidConfig, c.Port))
	}
	return errors.Join(errs...)
}

// RegisterFlags defines -agones and -agones-health on fs, bound to the
// environment like the engine's flags.
func (c *Config) RegisterFlags(fs *flag.FlagSet) error {
	known := engine.KnownFlags(fs)
	fs.BoolVar(&c.Enabled, "agones", c.Enabled, "run under Agones: Ready, health pings and Shutdown to its sidecar (port from "+EnvPort+")")
	fs.DurationVar(&c.Health, "agones-health", c.Health, "time between Agones health pings")
	return engine.BindEnv(fs, known, os.LookupEnv)
}

// Client talks to the sidecar. Make it with New.
type Client struct {
	base string
	hc   *http.Client
	log  *slog.Logger
	cfg  Config
}

// New makes the client of cfg, the port from lookupEnv(EnvPort) when
// cfg.Port is 0.
func New(cfg Config, lookupEnv func(string) (string, bool), log *slog.Logger) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	port := cfg.Port
	if port == 0 {
		port = DefaultPort
		if v, ok := lookupEnv(EnvPort); ok {
			p, err := strconv.Atoi(v)
			if err != nil || p <= 0 || p > 65535 {
				return nil, fmt.Errorf("%w: %s=%q is not a port", engine.ErrInvalidConfig, EnvPort, v)
			}
			port = p
		}
	}
	return &Client{
		base: "http://127.0.0.1:" + strconv.Itoa(port),
		hc:   &http.Client{Timeout: requestTimeout},
		log:  log.With("agones", port),
		cfg:  cfg,
	}, nil
}

// Run marks the server Ready (trying again until the sidecar answers), then
// pings health until ctx is done.
func (c *Client) Run(ctx context.Context) {
	for {
		err := c.post(ctx, "/ready")
		if err == nil {
			c.log.Info("agones: ready")
			break
		}
		c.log.Debug("agones ready", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(readyRetry):
		}
	}
	t := time.NewTicker(c.cfg.Health)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.post(ctx, "/health"); err != nil {
				c.log.Warn("agones health", "err", err)
			}
		}
	}
}

// Shutdown tells Agones the server has stopped, so it removes the pod.
func (c *Client) Shutdown(ctx context.Context) error { return c.post(ctx, "/shutdown") }

func (c *Client) post(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, strings.NewReader("{}"))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("agones: %s: %w", path, err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<12)); err != nil {
		return fmt.Errorf("agones: %s: %w", path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("agones: %s: status %d", path, resp.StatusCode)
	}
	return nil
}
