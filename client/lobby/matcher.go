package lobby

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
)

// Matcher asks for seats and room lists where it can: first the home server
// (the one the player started from), then every other server it has heard
// of, so that a client whose server died or is draining still finds the
// fleet. It remembers at most MaxServers servers. Safe for concurrent use:
// the lobby lists rooms while the link asks for a seat.
type Matcher struct {
	client Client // Base unset: each request names its server

	mu    sync.Mutex
	bases []string // http(s) origins, the home server first
}

// NewMatcher returns a Matcher whose home server is at the http(s) origin
// home; hc nil is a plain http.Client.
func NewMatcher(home string, hc *http.Client) *Matcher {
	return &Matcher{client: Client{HTTP: hc}, bases: []string{home}}
}

// Home is the home server's origin.
func (m *Matcher) Home() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bases[0]
}

// Known returns the origins it would ask, in order.
func (m *Matcher) Known() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.bases)
}

// Learn remembers the fleet's servers, to ask when the home server cannot
// answer.
func (m *Matcher) Learn(f Fleet) {
	for _, s := range f.Servers {
		if !s.Draining {
			m.learn(s.URL)
		}
	}
}

func (m *Matcher) learn(wsURL string) {
	base, err := HTTPBase(wsURL)
	if err != nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.bases) < MaxServers && !slices.Contains(m.bases, base) {
		m.bases = append(m.bases, base)
	}
}

// Match asks the home server for a seat, then the others in turn while
// none answers. ErrUnavailable from the home server (no matchmaking there)
// and a refusal (4xx, or 503: the fleet has no seat, which every server's
// directory would say alike) end the search.
func (m *Matcher) Match(ctx context.Context, req Request) (Seat, error) {
	seat, err := ask(m, ctx, func(c Client) (Seat, error) { return c.Match(ctx, req) })
	if err == nil {
		m.learn(seat.URL)
	}
	return seat, err
}

// Rooms lists the fleet from the first server that answers, and learns its
// servers.
func (m *Matcher) Rooms(ctx context.Context) (Fleet, error) {
	f, err := ask(m, ctx, func(c Client) (Fleet, error) { return c.Rooms(ctx) })
	if err == nil {
		m.Learn(f)
	}
	return f, err
}

// ask runs one request against each known server in order until one gives
// an answer that settles it.
func ask[T any](m *Matcher, ctx context.Context, do func(Client) (T, error)) (T, error) {
	var zero T
	var errs []error
	for i, base := range m.Known() {
		c := m.client
		c.Base = base
		v, err := do(c)
		if err == nil {
			return v, nil
		}
		if final(err, i == 0) || ctx.Err() != nil {
			return zero, err
		}
		errs = append(errs, err)
	}
	return zero, errors.Join(errs...)
}

// final reports whether err settles a request, so that asking another
// server would not change the answer.
func final(err error, home bool) bool {
	var se *StatusError
	switch {
	case errors.Is(err, ErrUnavailable):
		return home
	case errors.As(err, &se):
		return se.Status < 500 || se.Status == http.StatusServiceUnavailable
	}
	return false
}
