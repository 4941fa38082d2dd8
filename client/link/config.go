package link

import (
	"context"
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
	// DefaultRematchAfter is how many resumes in a row may fail to reach
	// the server (no connection, no welcome) before a Link with a Matcher
	// takes the server for dead and asks for a seat elsewhere: a blip
	// resumes the same player, a dead server costs about two backoff waits.
	DefaultRematchAfter = 2
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("link: invalid config")

// Config says where to connect and as whom.
type Config struct {
	URL            string // ws:// or wss://; with Match, only where Match's fallback points
	Name           string
	Room           string // empty: the server (or the matchmaker) picks
	Backoff        BackoffConfig
	Events         int
	Silence        time.Duration
	WelcomeTimeout time.Duration

	// Match, when set, is asked for a seat before every join of a new
	// player (not before resumes): the seat's URL is dialled and its ticket
	// sent in the hello. A server that drains, dies or refuses the ticket
	// makes the Link ask again (Rematch) and move the player by itself.
	Match Matcher
	// RematchAfter is DefaultRematchAfter when 0.
	RematchAfter int
}

// Seat is where a matchmaker sends a new player: a server's game URL, the
// room to name in the hello and the ticket to carry there (empty when the
// matchmaker let the client join directly).
type Seat struct {
	URL, Room, Ticket string
	// Direct: there is no fleet (the server has no matchmaking) and URL is
	// just the server to join, as without a Matcher; the Link then waits
	// out drains and outages as it would without one, resuming its player.
	Direct bool
}

// Matcher asks the fleet for a seat in room (empty: quick play).
type Matcher func(ctx context.Context, room string) (Seat, error)

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
	if c.RematchAfter <= 0 {
		c.RematchAfter = DefaultRematchAfter
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
	}
	if err := netcode.ValidateRoomName(c.Room); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return c.Backoff.Validate()
}
