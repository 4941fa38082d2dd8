package lobby

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// fakeFleet serves /match and /rooms as the fleet's servers do, answering
// what the test sets.
func fakeFleet(t *testing.T, match, rooms http.HandlerFunc) *httptest.Server {
	mux := http.NewServeMux()
	if match != nil {
		mux.HandleFunc("POST "+MatchPath, match)
	}
	if rooms != nil {
		mux.HandleFunc("GET "+RoomsPath, rooms)
	}
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestMatch(t *testing.T) {
	expires := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    Seat
		status  int   // of a *StatusError; 0: none
		is      error // errors.Is; nil: none
	}{
		{name: "seat on another server",
			handler: answer(200, `{"url":"ws://10.0.0.2:8081/ws","room":"duel-1","ticket":"tk.abc","expires":"2026-12-02T03:00:00Z"}`),
			want:    Seat{URL: "ws://10.0.0.2:8081/ws", Room: "duel-1", Ticket: "tk.abc", Expires: expires}},
		{name: "no expiry is no matter",
			handler: answer(200, `{"url":"ws://h:1/ws","room":"a","ticket":"t","expires":""}`),
			want:    Seat{URL: "ws://h:1/ws", Room: "a", Ticket: "t"}},
		{name: "no server can take a seat", handler: answer(503, `{"error":"no server has a seat"}`), status: 503},
		{name: "rate limited without a body", handler: answer(429, ``), status: 429},
		{name: "older server", handler: nil, is: ErrUnavailable},
		{name: "not a game url", handler: answer(200, `{"url":"http://x/ws","room":"a","ticket":"t"}`), is: ErrBadAnswer},
		{name: "room the hello cannot carry", handler: answer(200, `{"url":"ws://x/ws","room":"a b","ticket":"t"}`), is: ErrBadAnswer},
		{name: "ticket too long", handler: answer(200, `{"url":"ws://x/ws","room":"a","ticket":"`+strings.Repeat("t", netcode.MaxTicketLen+1)+`"}`), is: ErrBadAnswer},
		{name: "not json", handler: answer(200, `<html>`), is: ErrBadAnswer},
		{name: "answer too long", handler: answer(200, `{"url":"ws://x/ws","room":"a","ticket":"`+strings.Repeat("t", maxSeatBytes)+`"}`), is: ErrBadAnswer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := fakeFleet(t, tc.handler, nil)
			seat, err := Client{Base: ts.URL}.Match(context.Background(), Request{Room: "duel-1"})
			var se *StatusError
			switch {
			case tc.status != 0:
				require.ErrorAs(t, err, &se)
				assert.Equal(t, tc.status, se.Status)
				assert.NotEmpty(t, se.Text)
			case tc.is != nil:
				assert.ErrorIs(t, err, tc.is)
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.want, seat)
			}
		})
	}
}

func TestMatchSendsTheRequest(t *testing.T) {
	got := make(chan Request, 1)
	ts := fakeFleet(t, func(w http.ResponseWriter, r *http.Request) {
		var req Request
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		got <- req
		answer(200, `{"url":"ws://127.0.0.1:1/ws","room":"r","ticket":"t"}`)(w, r)
	}, nil)
	_, err := Client{Base: ts.URL + "/"}.Match(context.Background(), Request{Room: "lobby", Region: "eu"})
	require.NoError(t, err)
	assert.Equal(t, Request{Room: "lobby", Region: "eu"}, <-got)
}

func TestRoomsLeavesOutWhatTheGameCannotUse(t *testing.T) {
	ts := fakeFleet(t, nil, answer(200, `{
		"servers": [
			{"id":"a","url":"ws://127.0.0.1:1/ws","region":"eu","players":3,"rooms":2,"draining":false},
			{"id":"b","url":"javascript:alert(1)","players":0,"rooms":0}
		],
		"rooms": [
			{"name":"lobby","server":"a","url":"ws://127.0.0.1:1/ws","players":3,"capacity":100,"public":true},
			{"name":"bad room","server":"a","url":"ws://127.0.0.1:1/ws","players":0,"capacity":100},
			{"name":"neg","server":"a","url":"ws://127.0.0.1:1/ws","players":-1,"capacity":100},
			{"name":"full","server":"a","url":"ws://127.0.0.1:1/ws","players":8,"capacity":8}
		]}`))
	f, err := Client{Base: ts.URL}.Rooms(context.Background())
	require.NoError(t, err)
	require.Len(t, f.Servers, 1)
	assert.Equal(t, "a", f.Servers[0].ID)
	var names []string
	for _, r := range f.Rooms {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"lobby", "full"}, names)
	assert.True(t, f.Rooms[1].Full())
	assert.False(t, f.Rooms[0].Full())
}

func TestHTTPBase(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		ok             bool
	}{
		{"ws", "ws://127.0.0.1:8080/ws", "http://127.0.0.1:8080", true},
		{"wss with a query", "wss://play.example.com/ws?x=1", "https://play.example.com", true},
		{"http is not a game url", "http://127.0.0.1/ws", "", false},
		{"no host", "ws:///ws", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := HTTPBase(tc.in)
			if !tc.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// A server that died leaves its clients to the others they heard of: the
// matcher asks the home server first and the learned ones after it.
func TestMatcherFallsBackOnKnownServers(t *testing.T) {
	other := fakeFleet(t, answer(200, `{"url":"ws://127.0.0.1:2/ws","room":"r2","ticket":"t2"}`), nil)
	otherWS := "ws" + strings.TrimPrefix(other.URL, "http") + "/ws"
	home := fakeFleet(t, answer(200, `{"url":"ws://127.0.0.1:1/ws","room":"r1","ticket":"t1"}`),
		answer(200, `{"servers":[{"id":"b","url":"`+otherWS+`"},{"id":"c","url":"ws://127.0.0.1:3/ws","draining":true}],"rooms":[]}`))
	m := NewMatcher(home.URL, nil)
	_, err := m.Rooms(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{home.URL, other.URL}, m.Known(), "draining servers are not asked")

	seat, err := m.Match(context.Background(), Request{})
	require.NoError(t, err)
	assert.Equal(t, "t1", seat.Ticket, "the home server first")

	home.Close()
	seat, err = m.Match(context.Background(), Request{})
	require.NoError(t, err)
	assert.Equal(t, "t2", seat.Ticket, "another server once home is gone")
}

func TestMatcherStopsOnAnswers(t *testing.T) {
	asked := make(chan struct{}, 1)
	other := fakeFleet(t, func(w http.ResponseWriter, r *http.Request) {
		asked <- struct{}{}
		answer(200, `{"url":"ws://127.0.0.1:2/ws","room":"r2","ticket":"t2"}`)(w, r)
	}, nil)
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		is      error
		status  int
	}{
		{name: "no matchmaking at home: join directly", handler: nil, is: ErrUnavailable},
		{name: "no seat anywhere", handler: answer(503, `{"error":"full"}`), status: 503},
		{name: "bad request", handler: answer(400, `{"error":"bad room"}`), status: 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := fakeFleet(t, tc.handler, nil)
			m := NewMatcher(home.URL, nil)
			m.learn("ws" + strings.TrimPrefix(other.URL, "http") + "/ws")
			_, err := m.Match(context.Background(), Request{})
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			} else {
				var se *StatusError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, tc.status, se.Status)
			}
			select {
			case <-asked:
				assert.Fail(t, "asked another server after a settled answer")
			default:
			}
		})
	}
}
