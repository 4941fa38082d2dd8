package engine

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// TestDrain: a draining server takes no new players, lets its games go on
// until the drain timeout, then closes them with 1001 and a reason that
// starts with "draining", and Serve returns. A resume still works meanwhile.
func TestDrain(t *testing.T) {
	ts := startServer(t, testConfig(t), func(s *Server) {
		// Long enough for the refused hellos and the resume below to come
		// first on a loaded machine (-race, CI): past it, the room closes and
		// forgets bob's token.
		require.NoError(t, s.JoinFleet(Fleet{ServerID: "s1", DrainTimeout: 2 * time.Second}))
	})
	playing := dial(t, ts.addr)
	playing.hello("ann", "lobby", "")
	leaving := dial(t, ts.addr)
	w := leaving.hello("bob", "lobby", "")
	leaving.conn.Close() // dropped: bob waits in his resume grace

	rec := httptest.NewRecorder()
	ts.AdminHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/admin/drain", nil))
	require.Equal(t, http.StatusAccepted, rec.Code)
	assert.True(t, ts.Draining())
	rec = httptest.NewRecorder()
	ts.AdminHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	assert.JSONEq(t, `{"status": "ok", "rooms": 1, "players": 2, "draining": true}`, rec.Body.String())
	_, err := ts.Reserve("lobby", "10.0.0.1", time.Minute)
	assert.ErrorIs(t, err, ErrDraining, "no seats")

	tests := []struct{ name, room string }{{"named room", "lobby"}, {"quick play", ""}, {"new room", "other"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, ts.addr)
			c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "cy", Room: tt.room})
			e := c.requireClose(netcode.CloseGoingAway, true)
			assert.Equal(t, DrainReason, e.Text)
		})
	}
	back := dial(t, ts.addr)
	assert.True(t, back.hello("", "", w.Token).Resumed, "a resume is no new player")

	e := playing.requireClose(netcode.CloseGoingAway, true)
	assert.True(t, strings.HasPrefix(e.Text, "draining"), e.Text)
	select {
	case err := <-ts.served:
		require.NoError(t, err)
		ts.served <- err // for the cleanup
	case <-time.After(waitFor):
		t.Fatal("Serve did not return after the drain")
	}
}

func TestJoinFleetValidates(t *testing.T) {
	tests := []struct {
		name string
		f    Fleet
		ok   bool
	}{
		{"zero", Fleet{}, true},
		{"prefix", Fleet{ArenaPrefix: "arena-ab12cd-"}, true},
		{"prefix not arena", Fleet{ArenaPrefix: "room-"}, false},
		{"prefix too long", Fleet{ArenaPrefix: "arena-" + strings.Repeat("x", 24)}, false},
		{"negative drain", Fleet{DrainTimeout: -time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(testConfig(t), testLogger())
			require.NoError(t, err)
			if err := s.JoinFleet(tt.f); tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrInvalidConfig)
			}
		})
	}
}
