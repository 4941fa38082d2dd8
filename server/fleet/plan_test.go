package fleet

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
)

func announced(id, region string, draining bool, rooms ...RoomEntry) Announcement {
	a := Announcement{ID: id, URL: "ws://" + id + "/ws", Region: region, Draining: draining, Rooms: rooms}
	for _, r := range rooms {
		a.Players += r.Players
	}
	return a
}

func pub(name string, players int) RoomEntry {
	return RoomEntry{Name: name, Players: players, Capacity: 4, Public: true}
}

func TestPlan(t *testing.T) {
	type seat struct{ server, room string }
	tests := []struct {
		name    string
		servers []Announcement
		req     matchRequest
		fill    int
		want    []seat // the first seats asked for, in order
		err     bool
	}{
		{"quick play: fullest public room under the target first",
			[]Announcement{announced("a", "", false, pub("r1", 1), pub("r2", 2)), announced("b", "", false)},
			matchRequest{}, 0, []seat{{"a", "r2"}, {"a", "r1"}, {"b", ""}, {"a", ""}}, false},
		{"quick play: rooms at the fill target are skipped",
			[]Announcement{announced("a", "", false, pub("r1", 2)), announced("b", "", false, pub("r2", 1))},
			matchRequest{}, 2, []seat{{"b", "r2"}, {"b", ""}, {"a", ""}}, false},
		{"quick play: private rooms are not offered",
			[]Announcement{announced("a", "", false, RoomEntry{Name: "mine", Players: 1, Capacity: 4})},
			matchRequest{}, 0, []seat{{"a", ""}}, false},
		{"quick play: a new room goes to the least loaded",
			[]Announcement{announced("a", "", false, pub("r1", 4)), announced("b", "", false, pub("r2", 4), pub("r3", 4)), announced("c", "", false, pub("r4", 4))},
			matchRequest{}, 0, []seat{{"a", ""}, {"c", ""}, {"b", ""}}, false},
		{"draining servers are skipped",
			[]Announcement{announced("a", "", true, pub("r1", 1)), announced("b", "", false, pub("r2", 4))},
			matchRequest{}, 0, []seat{{"b", ""}}, false},
		{"every server draining",
			[]Announcement{announced("a", "", true)}, matchRequest{}, 0, nil, true},
		{"region first",
			[]Announcement{announced("a", "eu", false, pub("r1", 1)), announced("b", "us", false, pub("r2", 2))},
			matchRequest{Region: "eu"}, 0, []seat{{"a", "r1"}, {"a", ""}}, false},
		{"an unknown region falls back to any",
			[]Announcement{announced("a", "eu", false)}, matchRequest{Region: "mars"}, 0, []seat{{"a", ""}}, false},
		{"a named room goes to its server",
			[]Announcement{announced("a", "", false), announced("b", "", false, RoomEntry{Name: "lobby", Players: 3, Capacity: 4})},
			matchRequest{Room: "lobby"}, 0, []seat{{"b", "lobby"}}, false},
		{"a named room on a draining server",
			[]Announcement{announced("a", "", false), announced("b", "", true, RoomEntry{Name: "lobby", Players: 3, Capacity: 4})},
			matchRequest{Room: "lobby"}, 0, nil, true},
		{"a new named room goes to the least loaded",
			[]Announcement{announced("a", "", false, pub("r1", 3)), announced("b", "", false)},
			matchRequest{Room: "lobby"}, 0, []seat{{"b", "lobby"}, {"a", "lobby"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := plan(tt.servers, tt.req, tt.fill)
			if tt.err {
				require.ErrorIs(t, err, errNoSeat)
				return
			}
			require.NoError(t, err)
			seats := make([]seat, len(got))
			for i, c := range got {
				seats[i] = seat{c.server.ID, c.room}
			}
			assert.Equal(t, tt.want, seats)
		})
	}
}

func TestDirectory(t *testing.T) {
	t0 := time.Unix(1e9, 0)
	tests := []struct {
		name string
		puts []Announcement
		at   time.Duration // after t0, when Live is asked; every put is at t0 but "b" at t0+2s
		want []string
	}{
		{"fresh servers are live", []Announcement{{ID: "a"}, {ID: "b"}}, 2 * time.Second, []string{"a", "b"}},
		{"a server silent 3 s is live", []Announcement{{ID: "a"}}, 3 * time.Second, []string{"a"}},
		{"a server silent past 3 s is gone", []Announcement{{ID: "a"}, {ID: "b"}}, 3*time.Second + time.Millisecond, []string{"b"}},
		{"a gone announcement removes at once", []Announcement{{ID: "a"}, {ID: "a", Gone: true}}, 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDirectory(DefaultPeerTimeout)
			for _, a := range tt.puts {
				at := t0
				if a.ID == "b" {
					at = t0.Add(2 * time.Second)
				}
				d.Put(a, at)
			}
			ids := []string{}
			for _, a := range d.Live(t0.Add(tt.at)) {
				ids = append(ids, a.ID)
			}
			assert.Equal(t, tt.want, ids)
		})
	}
}

func TestDirectoryNoteSeat(t *testing.T) {
	d := NewDirectory(DefaultPeerTimeout)
	now := time.Now()
	d.Put(announced("a", "", false, pub("r1", 1)), now)
	d.NoteSeat("a", "r1", 4, true, false)
	d.NoteSeat("a", "new", 4, true, false)
	d.NoteSeat("gone", "x", 4, true, false)
	live := d.Live(now)
	require.Len(t, live, 1)
	assert.Equal(t, 3, live[0].Players)
	assert.Equal(t, []RoomEntry{pub("r1", 2), pub("new", 1)}, live[0].Rooms)
}

func TestTickets(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tk, err := NewTickets(key)
	require.NoError(t, err)
	other, err := NewTickets([]byte("another key, 32 bytes long, yes!"))
	require.NoError(t, err)
	now := time.Unix(2e9, 0)
	rv := engine.Reservation{Room: "lobby", Seat: "seat1", Expires: now.Add(time.Minute)}
	good, err := tk.Sign("srv1", rv)
	require.NoError(t, err)
	foreign, err := other.Sign("srv1", rv)
	require.NoError(t, err)
	tests := []struct {
		name   string
		ticket string
		at     time.Time
		err    error
	}{
		{"valid", good, now, nil},
		{"expired", good, rv.Expires, engine.ErrTicketExpired},
		{"another key", foreign, now, engine.ErrTicketInvalid},
		{"forged and expired is forged", foreign, rv.Expires.Add(time.Hour), engine.ErrTicketInvalid},
		{"garbage", "x.y.z", now, engine.ErrTicketInvalid},
		{"empty", "", now, engine.ErrTicketInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tk.verify(tt.ticket, tt.at)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, engine.TicketClaims{Server: "srv1", Room: "lobby", Seat: "seat1", Expires: rv.Expires}, c)
		})
	}
	_, err = NewTickets(key[:31])
	assert.ErrorIs(t, err, engine.ErrInvalidConfig, "a short key")
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		ok   bool
	}{
		{"defaults", func(*Config) {}, true},
		{"nats", func(c *Config) { c.NATSURLs = []string{"nats://127.0.0.1:4222"} }, true},
		{"embedded with routes", func(c *Config) { c.NATSEmbed, c.NATSRoutes = true, []string{"127.0.0.1:6223"} }, true},
		{"nats and embed", func(c *Config) { c.NATSEmbed, c.NATSURLs = true, []string{"nats://h:4222"} }, false},
		{"routes without embed", func(c *Config) { c.NATSRoutes = []string{"h:6222"} }, false},
		{"public url wss", func(c *Config) { c.PublicURL = "wss://game.example/ws" }, true},
		{"public url http", func(c *Config) { c.PublicURL = "http://game.example/ws" }, false},
		{"peer timeout within the heartbeat", func(c *Config) { c.PeerTimeout = c.Heartbeat }, false},
		{"no drain timeout", func(c *Config) { c.DrainTimeout = 0 }, false},
		{"negative fill target", func(c *Config) { c.FillTarget = -1 }, false},
		{"long region", func(c *Config) { c.Region = string(make([]byte, MaxRegionLen+1)) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.edit(&c)
			if err := c.Validate(); tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, engine.ErrInvalidConfig)
			}
		})
	}
}

func TestAddrLimiter(t *testing.T) {
	l := newAddrLimiter(1, 2)
	now := time.Unix(1e9, 0)
	assert.True(t, l.allow("a", now))
	assert.True(t, l.allow("a", now))
	assert.False(t, l.allow("a", now), "past the burst")
	assert.True(t, l.allow("b", now), "another address has its own bucket")
	assert.True(t, l.allow("a", now.Add(time.Second)), "refilled at the rate")
}

func TestRegisterFlags(t *testing.T) {
	t.Setenv("SKIRMISH_NATS", "nats://a:4222, nats://b:4222")
	t.Setenv("SKIRMISH_DRAIN_TIMEOUT", "30s")
	t.Setenv("SKIRMISH_REGION", "eu")
	c := DefaultConfig()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	require.NoError(t, c.RegisterFlags(fs))
	require.NoError(t, fs.Parse([]string{"-region", "us", "-require-ticket", "-match-rate-per-ip", "50", "-match-burst-per-ip", "80"}))
	assert.Equal(t, []string{"nats://a:4222", "nats://b:4222"}, c.NATSURLs, "from the environment")
	assert.Equal(t, 30*time.Second, c.DrainTimeout, "from the environment")
	assert.Equal(t, "us", c.Region, "the command line wins")
	assert.True(t, c.RequireTicket)
	assert.Equal(t, 50.0, c.MatchRatePerIP)
	assert.Equal(t, 80, c.MatchBurst)
	assert.True(t, c.Clustered())

	t.Setenv("SKIRMISH_SEAT_HOLD", "soon")
	bad := DefaultConfig()
	assert.ErrorIs(t, bad.RegisterFlags(flag.NewFlagSet("bad", flag.ContinueOnError)), engine.ErrInvalidConfig)
}

func TestLoadTickets(t *testing.T) {
	key := "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name string
		file string
		ok   bool
	}{
		{"bare", key, true},
		{"line ending", key + "\n", true},
		{"crlf", key + "\r\n", true},
		{"short once the line ending is gone", key[:31] + "\n", false},
		{"inner spaces are key", " " + key[:31], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "key")
			require.NoError(t, os.WriteFile(path, []byte(tt.file), 0o600))
			tk, err := LoadTickets(path)
			if !tt.ok {
				assert.ErrorIs(t, err, engine.ErrInvalidConfig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, strings.TrimRight(tt.file, "\r\n"), string(tk.key))
		})
	}
	_, err := LoadTickets(filepath.Join(t.TempDir(), "missing"))
	assert.Error(t, err)
}
