package fleet

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/server/engine"
)

// startNATS is a NATS node on 127.0.0.1 with a client port, for servers
// that join with -nats.
func startNATS(t *testing.T) string {
	t.Helper()
	s, err := StartEmbedded(EmbedConfig{Name: "test", Listen: "127.0.0.1:0"})
	require.NoError(t, err)
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	return s.ClientURL()
}

func testEngineConfig() engine.Config {
	cfg := engine.DefaultConfig()
	cfg.RoomCapacity = 4
	cfg.WebDir = ""
	return cfg
}

// TestFleet is issue 11's demonstration: three servers on one NATS node.
// Quick play fills A's room, then opens one on a less loaded server; a
// named room on C is found from A; forged, expired, reused and misplaced
// tickets are refused with their codes; C stopping is noticed within 3 s and
// its players are told to re-match; A draining sends new players elsewhere.
func TestFleet(t *testing.T) {
	url := startNATS(t)
	key := ticketKey(t)
	fcfg := func(require bool, drain time.Duration) Config {
		c := DefaultConfig()
		c.NATSURLs = []string{url}
		c.TicketKeyFile = key
		c.RequireTicket = require
		c.DrainTimeout = drain
		c.FillTarget = 2
		c.MatchRatePerIP, c.MatchBurst = 1e6, 1e6 // every request here comes from 127.0.0.1
		return c
	}
	a := startMember(t, testEngineConfig(), fcfg(false, 2*time.Second))
	b := startMember(t, testEngineConfig(), fcfg(true, time.Minute))
	c := startMember(t, testEngineConfig(), fcfg(false, 500*time.Millisecond))
	members := []*member{a, b, c}
	require.Eventually(t, func() bool { return len(a.rooms().Servers) == 3 && len(b.rooms().Servers) == 3 }, waitFor, 50*time.Millisecond,
		"every server sees the three")

	// A player joins A directly: A holds a public room with a free seat.
	p1 := dial(t, a.url(), "", "")
	arenaA := p1.joined()
	require.True(t, strings.HasPrefix(arenaA, "arena-"), arenaA)

	// Quick play from B fills A's room to the fill target, 2 (once B has
	// heard of it)...
	require.Eventually(t, func() bool { return b.roomServer(arenaA) == a.node.ID() }, waitFor, 50*time.Millisecond)
	m := b.mustMatch(`{}`)
	assert.Equal(t, arenaA, m.Room, "the fullest public room under the fill target")
	assert.Equal(t, a.url(), m.URL)
	expires, err := time.Parse(time.RFC3339, m.Expires)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(DefaultSeatHold), expires, 2*time.Second)
	p2 := dial(t, m.URL, "", m.Ticket)
	assert.Equal(t, arenaA, p2.joined())

	// ...and the next opens a room on a server with fewer players.
	m = a.mustMatch(`{"mode": "arena"}`)
	assert.NotEqual(t, a.url(), m.URL, "A's only room is at the fill target")
	assert.NotEqual(t, arenaA, m.Room)
	p3 := dial(t, m.URL, "", m.Ticket)
	assert.Equal(t, m.Room, p3.joined())

	t.Run("a named room on C is found from A", func(t *testing.T) {
		pc := dial(t, c.url(), "lobby-c", "")
		require.Equal(t, "lobby-c", pc.joined())
		require.Eventually(t, func() bool { return a.roomServer("lobby-c") == c.node.ID() }, waitFor, 50*time.Millisecond)
		m := a.mustMatch(`{"room": "lobby-c"}`)
		assert.Equal(t, c.url(), m.URL)
		assert.Equal(t, "lobby-c", m.Room)
		assert.Equal(t, "lobby-c", dial(t, m.URL, "lobby-c", m.Ticket).joined())
	})

	t.Run("a named room no server holds is made on one", func(t *testing.T) {
		m := c.mustMatch(`{"room": "fresh"}`)
		assert.Equal(t, "fresh", m.Room)
		assert.Equal(t, "fresh", dial(t, m.URL, "", m.Ticket).joined())
	})

	t.Run("tickets", func(t *testing.T) {
		signer, err := LoadTickets(key)
		require.NoError(t, err)
		expired, err := signer.Sign(c.node.ID(), engine.Reservation{Room: "lobby-c", Seat: "s1", Expires: time.Now().Add(-time.Second)})
		require.NoError(t, err)
		// A seat on some server X, and a server that is not X.
		onX := a.mustMatch(`{"room": "elsewhere"}`)
		var other *member
		for _, m := range members {
			if m.url() != onX.URL {
				other = m
			}
		}
		used := a.mustMatch(`{"room": "lobby-c"}`)
		require.Equal(t, "lobby-c", dial(t, c.url(), "", used.Ticket).joined())
		parts := strings.Split(used.Ticket, ".")
		parts[2] = strings.Repeat("A", len(parts[2]))
		forged := strings.Join(parts, ".")

		tests := []struct {
			name   string
			url    string
			room   string
			ticket string
			code   uint16
			text   string
		}{
			{"forged", c.url(), "", forged, netcode.CloseTicketInvalid, "ticket invalid"},
			{"not a jwt", c.url(), "", "ticket", netcode.CloseTicketInvalid, "ticket invalid"},
			{"expired", c.url(), "", expired, netcode.CloseTicketExpired, "ticket expired"},
			{"reused", c.url(), "", used.Ticket, netcode.CloseTicketUsed, "ticket already used"},
			{"for another server", other.url(), "", onX.Ticket, netcode.CloseTicketWrongServer, "another server or room"},
			{"for another room", onX.URL, "lobby-c", onX.Ticket, netcode.CloseTicketWrongServer, "another server or room"},
			{"required and missing", b.url(), "", "", netcode.CloseTicketRequired, "ticket required"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				code, text := dial(t, tt.url, tt.room, tt.ticket).refused()
				assert.Equal(t, tt.code, code)
				assert.Contains(t, text, tt.text)
			})
		}
		assert.Equal(t, onX.Room, dial(t, onX.URL, "", onX.Ticket).joined(), "the misplaced tries did not use the ticket up")
	})

	t.Run("bad requests", func(t *testing.T) {
		for _, body := range []string{`{"room": "no spaces"}`, `{"mode": "ctf"}`, `[1]`, `{"region": "` + strings.Repeat("r", 33) + `"}`} {
			var e struct{ Error string }
			assert.Equal(t, http.StatusBadRequest, a.match(body, &e), body)
			assert.NotEmpty(t, e.Error, body)
		}
	})

	t.Run("C stopping", func(t *testing.T) {
		pc := dial(t, c.url(), "lobby-c2", "")
		require.Equal(t, "lobby-c2", pc.joined())
		c.srv.Drain() // 0.5 s of drain, then its players are told
		code, text := pc.refused()
		assert.Equal(t, netcode.CloseGoingAway, code)
		assert.True(t, strings.HasPrefix(text, "draining"), text)
		c.waitStopped(waitFor)
		stopped := time.Now()
		require.Eventually(t, func() bool { return a.roomServer("lobby-c") == "" && len(a.rooms().Servers) == 2 }, 3*time.Second, 20*time.Millisecond)
		t.Logf("C gone from A's /rooms %v after it stopped", time.Since(stopped).Round(time.Millisecond))
	})

	t.Run("A draining", func(t *testing.T) {
		rec := httptest.NewRecorder()
		a.srv.AdminHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/admin/drain", nil))
		require.Equal(t, http.StatusAccepted, rec.Code)
		for range 3 {
			m := a.mustMatch(`{}`)
			assert.Equal(t, b.url(), m.URL, "the one server left that is not draining")
		}
		var e struct{ Error string }
		assert.Equal(t, http.StatusServiceUnavailable, b.match(`{"room": "`+arenaA+`"}`, &e), "a room on a draining server")
		assert.Contains(t, e.Error, "draining")
		require.Eventually(t, func() bool {
			for _, s := range b.rooms().Servers {
				if s.ID == a.node.ID() {
					return s.Draining
				}
			}
			return false
		}, waitFor, 20*time.Millisecond, "A's directory entry says draining")
		code, text := dial(t, a.url(), "", "").refused()
		assert.Equal(t, netcode.CloseGoingAway, code, "no new seats on a draining server")
		assert.True(t, strings.HasPrefix(text, "draining"), text)
		code, text = p1.refused()
		assert.Equal(t, netcode.CloseGoingAway, code, "the drain timeout closes the games left")
		assert.True(t, strings.HasPrefix(text, "draining"), text)
		a.waitStopped(waitFor)
	})
}

// TestFleetSurvivesNodeLoss: three servers, each with an embedded NATS node,
// form a cluster through -nats-routes to the first; when the first node
// dies, its server falls silent and is gone from the others' view within
// 3 s, and the other two still see each other and match across.
func TestFleetSurvivesNodeLoss(t *testing.T) {
	key := ticketKey(t)
	embedded := func(routes ...string) Config {
		c := DefaultConfig()
		c.NATSEmbed, c.NATSListen, c.NATSRoutes, c.TicketKeyFile = true, "127.0.0.1:0", routes, key
		return c
	}
	seed := startMember(t, testEngineConfig(), embedded())
	b := startMember(t, testEngineConfig(), embedded(seed.node.ClusterAddr()))
	c := startMember(t, testEngineConfig(), embedded(seed.node.ClusterAddr()))
	for _, m := range []*member{seed, b, c} {
		require.Eventually(t, func() bool { return len(m.rooms().Servers) == 3 }, waitFor, 50*time.Millisecond, "a cluster of three")
	}
	require.Equal(t, "lobby", dial(t, c.url(), "lobby", "").joined())

	seed.node.embedded.Shutdown() // no goodbye: the seed server just stops being heard
	lost := time.Now()
	require.Eventually(t, func() bool { return len(b.rooms().Servers) == 2 && len(c.rooms().Servers) == 2 }, DefaultPeerTimeout+time.Second, 20*time.Millisecond,
		"the silent server is gone within the peer timeout of its last announcement (up to a heartbeat before its node died)")
	t.Logf("silent server gone from the others' view %v after its node died", time.Since(lost).Round(time.Millisecond))
	assert.Equal(t, c.node.ID(), b.roomServer("lobby"), "b still hears c without the seed node")
	m := b.mustMatch(`{"room": "lobby"}`)
	assert.Equal(t, c.url(), m.URL, "a seat reserved on c over what is left of the cluster")
	assert.Equal(t, "lobby", dial(t, m.URL, "", m.Ticket).joined())
}

// TestStandalone: with no fleet flag a server is a fleet of one: /rooms
// lists it, /match gives seats on it at the address the request came to,
// with a key of its own, and one address is held to the match rate.
func TestStandalone(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MatchRatePerIP, cfg.MatchBurst = 0.001, 3
	s := startMember(t, testEngineConfig(), cfg)
	m := s.mustMatch(``)
	assert.Equal(t, s.url(), m.URL, "the request's Host")
	assert.True(t, strings.HasPrefix(m.Room, "arena-"), m.Room)
	assert.Equal(t, m.Room, dial(t, m.URL, "", m.Ticket).joined())
	assert.Equal(t, "direct", dial(t, s.url(), "direct", "").joined(), "direct joins work as before")
	rooms := s.rooms()
	require.Len(t, rooms.Servers, 1)
	assert.Equal(t, roomsServer{ID: s.node.ID(), URL: s.url(), Players: 2, Rooms: 2}, rooms.Servers[0])
	assert.ElementsMatch(t, []roomsRoom{
		{Name: m.Room, Server: s.node.ID(), URL: s.url(), Players: 1, Capacity: 4, Public: true},
		{Name: "direct", Server: s.node.ID(), URL: s.url(), Players: 1, Capacity: 4},
	}, rooms.Rooms)

	req, err := http.NewRequest(http.MethodPost, "http://"+s.addr+"/match", nil)
	require.NoError(t, err)
	req.Header.Set("Origin", "https://elsewhere.example")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "another site's page")

	s.mustMatch(`{"room": "direct"}`)
	s.mustMatch(`{"room": "direct"}`)
	var e struct{ Error string }
	assert.Equal(t, http.StatusTooManyRequests, s.match(`{}`, &e), "past the burst of 3 (the refused origin took none)")
	assert.Contains(t, e.Error, "matches a second")

	resp, err = http.Get("http://" + s.addr + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	for _, line := range []string{
		MetricMatches + `{result="ok"} 3`,
		MetricMatches + `{result="forbidden"} 1`,
		MetricMatches + `{result="rate_limited"} 1`,
		MetricMatches + `{result="no_seat"} 0`,
		MetricServers + " 1",
	} {
		assert.Contains(t, string(page), "\n"+line+"\n")
	}
}

// TestPrivateRooms: a room made by a private match is in no server's
// GET /rooms, yet joinable by name; a named room made otherwise is listed
// on every server once it has a player.
func TestPrivateRooms(t *testing.T) {
	url := startNATS(t)
	key := ticketKey(t)
	fcfg := DefaultConfig()
	fcfg.NATSURLs = []string{url}
	fcfg.TicketKeyFile = key
	fcfg.MatchRatePerIP, fcfg.MatchBurst = 1e6, 1e6
	a := startMember(t, testEngineConfig(), fcfg)
	b := startMember(t, testEngineConfig(), fcfg)
	require.Eventually(t, func() bool { return len(a.rooms().Servers) == 2 && len(b.rooms().Servers) == 2 }, waitFor, 50*time.Millisecond)

	// listed is whether m's /rooms lists room, with its players.
	listed := func(m *member, room string) (bool, int) {
		for _, r := range m.rooms().Rooms {
			if r.Name == room {
				return true, r.Players
			}
		}
		return false, 0
	}
	// heard waits until m's directory has room, so that an absence from
	// /rooms is the filter's doing and not a late announcement.
	heard := func(m *member, room string) RoomEntry {
		var got RoomEntry
		require.Eventually(t, func() bool {
			for _, s := range m.node.dir.Live(time.Now()) {
				for _, r := range s.Rooms {
					if r.Name == room && r.Players > 0 {
						got = r
						return true
					}
				}
			}
			return false
		}, waitFor, 20*time.Millisecond, "room %s in the directory", room)
		return got
	}

	for _, tc := range []struct {
		name     string
		first    string // the body of the match that makes the room
		second   string // a later match for it
		room     string
		listed   bool
		reserved bool // the room is already open when the first match comes
	}{
		{"private", `{"room": "hideout", "private": true}`, `{"room": "hideout"}`, "hideout", false, false},
		{"named", `{"room": "friends"}`, `{"room": "friends", "private": true}`, "friends", true, false},
		{"private match of a listed room", `{"room": "direct", "private": true}`, `{"room": "direct"}`, "direct", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.reserved {
				assert.Equal(t, tc.room, dial(t, b.url(), tc.room, "").joined(), "a named hello opens the room")
				heard(a, tc.room) // else the match would make another on a
			}
			m := a.mustMatch(tc.first)
			require.Equal(t, tc.room, m.Room)
			assert.Equal(t, tc.room, dial(t, m.URL, "", m.Ticket).joined())
			for _, s := range []*member{a, b} {
				e := heard(s, tc.room)
				assert.Equal(t, !tc.listed, e.Private)
				assert.False(t, e.Public, "a named room is never quick play's")
				ok, players := listed(s, tc.room)
				assert.Equal(t, tc.listed, ok, "GET /rooms on %s", s.node.ID())
				if tc.listed {
					assert.Positive(t, players)
				}
			}
			// The name finds the room however it was made: it hides the
			// room, it does not lock it.
			m2 := b.mustMatch(tc.second)
			assert.Equal(t, tc.room, m2.Room)
			assert.Equal(t, tc.room, dial(t, m2.URL, "", m2.Ticket).joined())
			assert.Equal(t, tc.room, dial(t, m.URL, tc.room, "").joined(), "a direct hello by name, on its server")
			ok, _ := listed(a, tc.room)
			assert.Equal(t, tc.listed, ok, "a later match does not change what the first made")
		})
	}

	m := a.mustMatch(`{"private": true}`)
	assert.True(t, strings.HasPrefix(m.Room, "arena-"), "quick play makes a public room, private or not: %s", m.Room)
}
