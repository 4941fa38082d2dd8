package link

import (
	"errors"
	"fmt"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// Named defaults for Config.
const (
	DefaultEvents = 256 // events waiting for the game loop
	// DefaultSilence is how long a connection may stay quiet before it is
	// taken for dead: the server sends snapshots many times a second, so a
	// few seconds of nothing means a network that stopped without a word.
	DefaultSilence = 5 * time.Second
	// DefaultWelcomeTimeout bounds the wait for the answer to hello.
	DefaultWelcomeTimeout = 10 * time.Second
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("link: invalid config")

// Config says where to connect and as whom.
type Config struct {
	URL            string // ws:// or wss://
	Name           string
	Room           string // empty: the server picks
	Backoff        BackoffConfig
	Events         int
	Silence        time.Duration
	WelcomeTimeout time.Duration
}

func (c *Config) fill() {
	if c.Backoff == (BackoffConfig{}) {
		c.Backoff = DefaultBackoffConfig()
	}
	if c.Events <= 0 {
		c.Events = DefaultEvents
	}
	if c.Silence <= 0 {
		c.Silence = DefaultSilence
	}
	if c.WelcomeTimeout <= 0 {
		c.WelcomeTimeout = DefaultWelcomeTimeout
	}
}

// Validate reports the first unusable field (after filling defaults).
func (c Config) Validate() error {
	c.fill()
	switch {
	case c.URL == "":
		return fmt.Errorf("%w: no server URL", ErrConfig)
	case len(c.Name) > netcode.MaxNameLen:
		return fmt.Errorf("%w: name longer than %d bytes", ErrConfig, netcode.MaxNameLen)
	case len(c.Room) > netcode.MaxRoomLen:
		return fmt.Errorf("%w: room longer than %d bytes", ErrConfig, netcode.MaxRoomLen)
	}
	return c.Backoff.Validate()
}
