//go:build !js

package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/fleet/fleettest"
)

// TestFleetEndToEnd is issue 11 with nothing faked: three engines joined as
// a fleet through server/fleet on a real NATS node, each admitting only
// ticketed players, and the game's own link, matcher and transport. The
// player quick-plays from its home server and is seated there with a
// ticket; that server drains and the link moves the player to another by
// itself, asking a server it learned of; that one dies without a word and
// the link moves it again, while the fleet still lists the dead server.
func TestFleetEndToEnd(t *testing.T) {
	fl := fleettest.New(t)
	ecfg := engine.DefaultConfig()
	ecfg.WebDir, ecfg.FillBots = "", 0
	fcfg := fl.Config()
	fcfg.RequireTicket = true
	fcfg.DrainTimeout = 500 * time.Millisecond // the player is not leaving: close it soon
	members := []*fleettest.Member{fl.Start(ecfg, fcfg), fl.Start(ecfg, fcfg), fl.Start(ecfg, fcfg)}
	// Home is the server quick play picks first (all empty: the lowest
	// ID), so that the drain takes the client's home server away too and
	// the next seat must come from a server it learned of.
	home := slices.MinFunc(members, func(a, b *fleettest.Member) int { return strings.Compare(a.Node.ID(), b.Node.ID()) })
	require.Eventually(t, func() bool { return len(home.Servers()) == 3 }, 5*time.Second, 20*time.Millisecond, "A sees the fleet")

	f, err := newFleet(home.URL, discard())
	require.NoError(t, err)
	l := runLink(t, f, "")
	at := func(url string) *fleettest.Member {
		t.Helper()
		i := slices.IndexFunc(members, func(m *fleettest.Member) bool { return m.URL == url })
		require.GreaterOrEqual(t, i, 0, "dialled %s, no server of the fleet", url)
		return members[i]
	}
	first := at(await(t, l, link.Dialing).URL)
	w := await(t, l, link.Joined).Welcome
	assert.Contains(t, w.Room, "arena-", "quick play: a public room")
	require.Eventually(t, func() bool { return len(f.m.Known()) == 3 }, 5*time.Second, 20*time.Millisecond,
		"the client learned the fleet from its room list")

	if first != home {
		t.Logf("quick play seated the player on %v, not on its home %v", first, home)
	}
	first.Drain()
	ev := await(t, l, link.Rematching)
	assert.True(t, link.Draining(ev.Err), "moved by the drain: %v", ev.Err)
	second := at(await(t, l, link.Dialing).URL)
	assert.NotSame(t, first, second, "matchmaking skips the draining server")
	w2 := await(t, l, link.Joined).Welcome
	assert.False(t, w2.Resumed, "a new player there")
	assert.NotEqual(t, w.Room, w2.Room)
	assert.True(t, first.Stopped(5*time.Second), "the drained server stopped")

	second.Kill()
	killed := time.Now()
	ev = await(t, l, link.Rematching)
	assert.ErrorIs(t, ev.Err, link.ErrServerGone)
	third := at(await(t, l, link.Dialing).URL)
	assert.NotSame(t, second, third)
	assert.NotSame(t, first, third)
	w3 := await(t, l, link.Joined).Welcome
	assert.False(t, w3.Resumed)
	moved := time.Since(killed)

	require.Eventually(t, func() bool { return !slices.Contains(third.Servers(), second.Node.ID()) },
		fcfg.PeerTimeout+2*fcfg.Heartbeat, 20*time.Millisecond, "the fleet forgets the dead server")
	t.Logf("moved %v after the kill; the fleet forgot the dead server %v after it", moved.Round(time.Millisecond), time.Since(killed).Round(time.Millisecond))
}
