package app

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/lobby"
)

// roomsEvery is how often the lobby asks for the room list while it shows.
const roomsEvery = 2 * time.Second

// fleet is the client's view of the servers' matchmaking: the Matcher that
// asks them (the server the client started from first), and whether that
// server has any.
type fleet struct {
	m      *lobby.Matcher
	direct string // the configured server's game URL: the fallback
	log    *slog.Logger
	// learning is set while a room list is being fetched to learn the
	// fleet's servers, so that seats in quick succession start one fetch.
	learning atomic.Bool
}

// newFleet asks the server at the game URL server first.
func newFleet(server string, log *slog.Logger) (*fleet, error) {
	base, err := lobby.HTTPBase(server)
	if err != nil {
		return nil, err
	}
	return &fleet{m: lobby.NewMatcher(base, nil), direct: server, log: log}, nil
}

// seat is the link's Matcher: a seat from POST /match, or, when the server
// has no matchmaking (an older server, one outside a fleet), the server
// itself without a ticket, as before matchmaking.
func (f *fleet) seat(ctx context.Context, room string) (link.Seat, error) {
	s, err := f.m.Match(ctx, lobby.Request{Room: room})
	if errors.Is(err, lobby.ErrUnavailable) {
		return link.Seat{URL: f.direct, Room: room, Direct: true}, nil
	}
	if err != nil {
		return link.Seat{}, err
	}
	f.learn()
	return link.Seat{URL: s.URL, Room: s.Room, Ticket: s.Ticket}, nil
}

// learn fetches the room list once in the background, for its servers: a
// player seated straight away (autoplay, a room named on the command line)
// has never seen the lobby's list, and when the server it asked drains it
// shuts down, so the matcher needs others to ask by then.
func (f *fleet) learn() {
	if !f.learning.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer f.learning.Store(false)
		// Bounded by the client's request timeout; nothing waits for it.
		if _, err := f.m.Rooms(context.Background()); err != nil && !errors.Is(err, lobby.ErrUnavailable) {
			f.log.Debug("learning the fleet", "err", err)
		}
	}()
}

// roomsResult is one answer of GET /rooms for the lobby.
type roomsResult struct {
	fleet lobby.Fleet
	err   error
}

// listRooms asks for the room list every roomsEvery until ctx is done,
// keeping only the newest answer in out (size 1) so that it never blocks on
// a lobby that stopped reading.
func (f *fleet) listRooms(ctx context.Context, out chan roomsResult, log *slog.Logger) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fl, err := f.m.Rooms(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil && !errors.Is(err, lobby.ErrUnavailable) {
			log.Debug("room list", "err", err)
		}
		select {
		case <-out: // an answer nobody read is stale now
		default:
		}
		out <- roomsResult{fleet: fl, err: err}
		if errors.Is(err, lobby.ErrUnavailable) {
			return // an older server will not grow a room list
		}
		t.Reset(roomsEvery)
	}
}
