package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/skirmish-game/skirmish/client/lobby"
)

// matchRetry is how long a bot waits after a 429 before it asks again: the
// fleet lets one address match a couple of times a second, and a swarm is
// one address; the connect timeout bounds the waiting.
const matchRetry = 250 * time.Millisecond

// Seat is where the fleet's matchmaking sends a bot: the game URL of the
// server that holds its seat, the room and the ticket for the hello.
type Seat struct {
	URL, Room, Ticket string
}

// Matcher asks the fleet for a seat in room ("": quick play).
type Matcher func(ctx context.Context, room string) (Seat, error)

// NewMatcher asks POST /match of the server at the game URL wsURL, as the
// game client does (client/lobby): the home server first, then the servers
// its GET /rooms named, so that bots whose server died still find a seat.
// A 429 is waited out within ctx.
func NewMatcher(wsURL string) (Matcher, error) {
	base, err := lobby.HTTPBase(wsURL)
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	m := lobby.NewMatcher(base, &http.Client{})
	var learn sync.Once
	return func(ctx context.Context, room string) (Seat, error) {
		learn.Do(func() {
			// The room list only adds servers to ask; without it the home
			// server is asked alone.
			_, _ = m.Rooms(ctx)
		})
		for {
			s, err := m.Match(ctx, lobby.Request{Room: room})
			var se *lobby.StatusError
			if !errors.As(err, &se) || se.Status != http.StatusTooManyRequests {
				if err != nil {
					return Seat{}, err
				}
				return Seat{URL: s.URL, Room: s.Room, Ticket: s.Ticket}, nil
			}
			select {
			case <-ctx.Done():
				return Seat{}, fmt.Errorf("bot: match: %w (%w)", ctx.Err(), err)
			case <-time.After(matchRetry):
			}
		}
	}, nil
}
