package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// boardWhere returns the first board c receives for which ok holds.
func (c *testClient) boardWhere(ok func(b *netcode.Board) bool) netcode.Board {
	c.t.Helper()
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		raw, err := c.next(netcode.KindBoard)
		require.NoError(c.t, err)
		var b netcode.Board
		require.NoError(c.t, netcode.DecodeBoard(raw, &b))
		if ok(&b) {
			return b
		}
	}
	c.t.Fatalf("no such board within %v", waitFor)
	return netcode.Board{}
}

// bots counts the bot entries of b, checking that each is named as one.
func bots(t testing.TB, b *netcode.Board) int {
	t.Helper()
	n := 0
	for _, e := range b.Entries {
		assert.Equal(t, e.Bot, strings.HasSuffix(e.Name, botSuffix), "entry %+v: the flag and the name agree", e)
		if e.Bot {
			n++
		}
	}
	return n
}

func TestFillBotsMakeRoomForPeople(t *testing.T) {
	cfg := testConfig(t)
	cfg.FillBots = 4
	cfg.ResumeGrace = 0
	ts := startServer(t, cfg)

	first := dial(t, ts.addr)
	first.hello("ann", "fill", "")
	b := first.boardWhere(func(b *netcode.Board) bool { return b.Players == 4 })
	assert.Equal(t, 3, bots(t, &b), "one person and three bots")
	require.Len(t, b.Entries, 4)
	rooms, players := ts.rooms.stats()
	assert.Equal(t, 1, rooms)
	assert.Equal(t, 1, players, "bots are not counted as connected players")

	second, third := dial(t, ts.addr), dial(t, ts.addr)
	second.hello("bob", "fill", "")
	third.hello("cy", "fill", "")
	b = first.boardWhere(func(b *netcode.Board) bool { return bots(t, b) == 1 })
	assert.Equal(t, uint16(4), b.Players, "each person took a bot's place")

	require.NoError(t, second.conn.Close()) // quit: the player leaves at once
	b = first.boardWhere(func(b *netcode.Board) bool { return bots(t, b) == 2 })
	assert.Equal(t, uint16(4), b.Players, "a bot came back")
}

func TestFillBotsHoldNoSeats(t *testing.T) {
	tests := []struct {
		name   string
		adjust func(*Config)
		people int    // joins that must succeed
		then   uint16 // close code of the next join
	}{
		{name: "a full room lets people in", adjust: func(c *Config) { c.RoomCapacity, c.FillBots = 3, 3 }, people: 3, then: netcode.CloseRoomFull},
		{name: "bots take no address's seats", adjust: func(c *Config) { c.MaxSeatsPerIP, c.FillBots = 2, 6 }, people: 2, then: netcode.CloseTooManyConns},
		{name: "more bots than seats", adjust: func(c *Config) { c.RoomCapacity, c.FillBots = 2, 6 }, people: 2, then: netcode.CloseRoomFull},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			tt.adjust(&cfg)
			ts := startServer(t, cfg)
			var last *testClient
			for i := range tt.people {
				last = dial(t, ts.addr)
				last.hello(fmt.Sprintf("p%d", i), "seats", "")
			}
			b := last.boardWhere(func(b *netcode.Board) bool { return int(b.Players) >= tt.people })
			assert.Equal(t, max(0, min(cfg.FillBots, cfg.RoomCapacity)-tt.people), bots(t, &b))
			late := dial(t, ts.addr)
			late.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "late", Room: "seats"})
			late.requireClose(tt.then, true)
		})
	}
}

func TestFillBotsPlay(t *testing.T) {
	cfg := testConfig(t)
	cfg.FillBots = 3
	log := newFrameLog()
	ts := startServer(t, cfg, withFrames(log))
	c := dial(t, ts.addr)
	w := c.hello("ann", "play", "")
	// Two boards a second apart: the bots have had a second to move.
	c.boardWhere(func(b *netcode.Board) bool { return b.Players == 3 })
	c.boardWhere(func(*netcode.Board) bool { return true })
	ticks := log.ticks("play", w.ServerTick, ^uint32(0))
	require.Greater(t, len(ticks), cfg.TickRate, "a second of frames")
	from, ok := log.get("play", ticks[0])
	require.True(t, ok)
	to, ok := log.get("play", ticks[len(ticks)-1])
	require.True(t, ok)
	moved := 0
	for _, e := range from {
		if !strings.HasSuffix(e.Name, botSuffix) {
			continue
		}
		if later, ok := netcode.FindEntity(to, e.ID); ok && (to[later].X != e.X || to[later].Y != e.Y) {
			moved++
		}
	}
	assert.Positive(t, moved, "the bots fly (one may be dead, or not have looked around yet)")
}

func TestNoFillBots(t *testing.T) {
	tests := []struct {
		name   string
		adjust func(*Config)
	}{
		{name: "fill bots 0", adjust: func(c *Config) { c.FillBots = 0 }},
		{name: "a game without bots", adjust: func(c *Config) { c.NewSim = newCounterSim(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			tt.adjust(&cfg)
			ts := startServer(t, cfg)
			c := dial(t, ts.addr)
			c.hello("ann", "alone", "")
			b := c.boardWhere(func(*netcode.Board) bool { return true })
			assert.Equal(t, uint16(1), b.Players)
			assert.Zero(t, bots(t, &b))
		})
	}
}

func TestBotNames(t *testing.T) {
	seen := map[string]bool{}
	for n := range 100 {
		name := botName(n)
		_, err := netcode.Append(nil, &netcode.Board{Kind: netcode.KindBoard, Entries: []netcode.BoardEntry{{Name: name, Bot: true}}})
		require.NoError(t, err, "bot %d's name %q goes on the board", n, name)
		assert.True(t, strings.HasSuffix(name, botSuffix))
		assert.False(t, seen[name], "bot %d's name %q is taken", n, name)
		seen[name] = true
	}
}
