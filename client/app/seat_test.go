//go:build !js

package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/lobby"
	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

// fakeDirectory is a fleet's POST /match and GET /rooms over plain engines:
// it seats every asker on the next server of its list. Its seats carry no
// ticket, because an engine outside a fleet refuses tickets it cannot check
// (4011); server/fleet's tests cover tickets end to end.
type fakeDirectory struct {
	mu      sync.Mutex
	targets []string // game URLs; the last one stays
	servers []string // the fleet's servers GET /rooms lists, by the URL of their /match
	asked   []lobby.Request
}

func (d *fakeDirectory) serve(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /match", func(w http.ResponseWriter, r *http.Request) {
		var req lobby.Request
		if !assert.NoError(t, json.NewDecoder(r.Body).Decode(&req)) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		d.mu.Lock()
		d.asked = append(d.asked, req)
		url := d.targets[0]
		if len(d.targets) > 1 {
			d.targets = d.targets[1:]
		}
		d.mu.Unlock()
		room := req.Room
		if room == "" {
			room = "quick"
		}
		assert.NoError(t, json.NewEncoder(w).Encode(lobby.Seat{URL: url, Room: room, Expires: time.Now().Add(time.Minute)}))
	})
	mux.HandleFunc("GET /rooms", func(w http.ResponseWriter, r *http.Request) {
		var f lobby.Fleet
		for i, s := range d.servers {
			f.Servers = append(f.Servers, lobby.Server{ID: fmt.Sprint(i), URL: s})
		}
		assert.NoError(t, json.NewEncoder(w).Encode(f))
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// wsOf is the game URL of an httptest server, whose /match the matcher
// then finds at its origin.
func wsOf(ts *httptest.Server) string { return "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws" }

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func engineOn(t *testing.T) *enginetest.Server {
	cfg := engine.DefaultConfig()
	cfg.WebDir = ""
	require.NoError(t, cfg.Validate())
	return enginetest.NewServer(t, cfg)
}

// runLink joins through f as the game does (with short backoff waits) and
// returns its events.
func runLink(t *testing.T, f *fleet, room string) *link.Link {
	dial := func(ctx context.Context, url string) (link.Conn, error) {
		c, err := transport.Dial(ctx, url, transport.Options{})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	l, err := link.New(link.Config{
		URL: f.direct, Name: "ann", Room: room, Match: f.seat,
		Backoff: link.BackoffConfig{Base: 20 * time.Millisecond, Max: 50 * time.Millisecond},
	}, dial, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return l
}

// await returns the first event of kind, failing on a Rejected one.
func await(t *testing.T, l *link.Link, kind link.EventKind) link.Event {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-l.Events():
			require.NotEqual(t, link.Rejected, ev.Kind, "refused: %v", ev.Err)
			if ev.Kind == kind {
				return ev
			}
		case <-deadline:
			require.FailNow(t, "no event", "wanted %v", kind)
		}
	}
}

func TestFleetSeats(t *testing.T) {
	a := engineOn(t)
	for _, tc := range []struct {
		name     string
		server   func(t *testing.T) string // the configured -server
		room     string
		wantURL  string
		wantRoom string
	}{
		{"quick play follows the seat to another server", func(t *testing.T) string {
			home := (&fakeDirectory{targets: []string{a.URL}}).serve(t)
			return "ws" + strings.TrimPrefix(home.URL, "http") + "/ws"
		}, "", a.URL, "quick"},
		{"a named room", func(t *testing.T) string {
			home := (&fakeDirectory{targets: []string{a.URL}}).serve(t)
			return "ws" + strings.TrimPrefix(home.URL, "http") + "/ws"
		}, "duel", a.URL, "duel"},
		{"an engine without matchmaking is joined directly", func(*testing.T) string { return a.URL }, "solo", a.URL, "solo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := newFleet(tc.server(t), discard())
			require.NoError(t, err)
			l := runLink(t, f, tc.room)
			assert.Equal(t, tc.wantURL, await(t, l, link.Dialing).URL)
			assert.Equal(t, tc.wantRoom, await(t, l, link.Joined).Welcome.Room)
		})
	}
}

// A player whose server dies is moved by the client alone: the resumes
// fail, the link asks the directory again and joins the server it names.
func TestDeadServerMovesThePlayerToAnother(t *testing.T) {
	a, b := engineOn(t), engineOn(t)
	dir := &fakeDirectory{targets: []string{a.URL, b.URL}}
	home := dir.serve(t)
	f, err := newFleet(wsOf(home), discard())
	require.NoError(t, err)
	l := runLink(t, f, "arena")
	require.Equal(t, a.URL, await(t, l, link.Dialing).URL)
	await(t, l, link.Joined)

	a.Close()
	ev := await(t, l, link.Rematching)
	assert.ErrorIs(t, ev.Err, link.ErrServerGone)
	assert.Equal(t, "Server lost, moving you to another server", moveNotice(ev.Err, false))
	assert.Equal(t, b.URL, await(t, l, link.Dialing).URL)
	w := await(t, l, link.Joined).Welcome
	assert.Equal(t, "arena", w.Room)
	assert.False(t, w.Resumed, "a new player there")
	dir.mu.Lock()
	defer dir.mu.Unlock()
	assert.Equal(t, []lobby.Request{{Room: "arena"}, {Room: "arena"}}, dir.asked, "asked again for the room the player chose")
}

// A player seated at once (autoplay, or a room from the command line)
// never saw the lobby's list; when the server it asked first drains or
// dies it goes down with it, and the client must still find another. The
// seat itself makes the client learn the fleet.
func TestHomeServerGoneWithTheGame(t *testing.T) {
	a, b := engineOn(t), engineOn(t)
	other := (&fakeDirectory{targets: []string{b.URL}}).serve(t)
	home := (&fakeDirectory{targets: []string{a.URL}, servers: []string{wsOf(other)}}).serve(t)
	f, err := newFleet(wsOf(home), discard())
	require.NoError(t, err)
	l := runLink(t, f, "")
	await(t, l, link.Joined)
	require.Eventually(t, func() bool { return slices.Contains(f.m.Known(), other.URL) }, 5*time.Second, 10*time.Millisecond, "the fleet learned")

	home.Close()
	a.Close()
	await(t, l, link.Rematching)
	assert.Equal(t, b.URL, await(t, l, link.Dialing).URL, "seated by the other server")
	await(t, l, link.Joined)
}

// The lobby's list comes from GET /rooms while it shows, and stops asking
// a server that has none.
func TestListRooms(t *testing.T) {
	for _, tc := range []struct {
		name    string
		server  func(t *testing.T) string
		servers int   // in the first answer
		is      error // of the first answer
		stops   bool  // no second ask
	}{
		{"a fleet", func(t *testing.T) string {
			return wsOf((&fakeDirectory{targets: []string{"ws://x/ws"}, servers: []string{"ws://127.0.0.1:1/ws"}}).serve(t))
		}, 1, nil, false},
		{"an older server", func(t *testing.T) string { return engineOn(t).URL }, 0, lobby.ErrUnavailable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := newFleet(tc.server(t), discard())
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(t.Context())
			out := make(chan roomsResult, 1)
			done := make(chan struct{})
			go func() { defer close(done); f.listRooms(ctx, out, discard()) }()
			defer func() { cancel(); <-done }()
			select {
			case r := <-out:
				if tc.is != nil {
					assert.ErrorIs(t, r.err, tc.is)
				} else {
					require.NoError(t, r.err)
				}
				assert.Len(t, r.fleet.Servers, tc.servers)
			case <-time.After(5 * time.Second):
				require.FailNow(t, "no room list")
			}
			if tc.stops {
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					assert.Fail(t, "still asking a server without a room list")
				}
			}
		})
	}
}
