package engine

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSeatReservations: a reserved seat counts against the room's capacity
// until a ticketed hello claims it, once, or it expires.
func TestSeatReservations(t *testing.T) {
	cfg := testConfig(t)
	cfg.RoomCapacity = 2
	cfg = cfg.resolve()
	ctx, cancel := context.WithCancel(context.Background())
	g := newRegistry(ctx, cfg, testLogger(), newMetrics())
	t.Cleanup(func() {
		cancel()
		g.stopAll()
	})
	now := time.Now()
	hold := 10 * time.Second

	first, err := g.reserve("lobby", "10.0.0.9", now, hold)
	require.NoError(t, err)
	assert.Equal(t, "lobby", first.Room)
	assert.Equal(t, now.Add(hold), first.Expires)
	_, err = g.reserve("lobby", "10.0.0.9", now, time.Second)
	require.NoError(t, err)
	_, err = g.reserve("lobby", "10.0.0.9", now, hold)
	assert.ErrorIs(t, err, ErrRoomFull, "two reserved seats fill a room of two")
	_, err = g.admit("lobby", "direct", "10.0.0.1")
	assert.ErrorIs(t, err, errRoomFull, "for a direct join too")
	assert.Equal(t, []RoomInfo{{Name: "lobby", Players: 2, Capacity: 2}}, g.list(now))

	// The second seat expires unused: its place is free again.
	assert.Equal(t, []RoomInfo{{Name: "lobby", Players: 1, Capacity: 2}}, g.list(now.Add(time.Second)))

	r, err := g.claim(first.Seat, "tok1", "10.0.0.1", now.Add(time.Second))
	require.NoError(t, err)
	assert.Equal(t, "lobby", r.name)
	assert.Equal(t, r, g.lookup("tok1"), "the claim made a session token")
	assert.Equal(t, 1, g.seatsTaken(), "the seat became the player's, not a second one")
	_, err = g.claim(first.Seat, "tok2", "10.0.0.1", now.Add(time.Second))
	assert.ErrorIs(t, err, errTicketUsed)
	_, err = g.claim("no-such-seat", "tok3", "10.0.0.1", now)
	assert.ErrorIs(t, err, errTicketWrongServer)

	pub, err := g.reserve("", "10.0.0.9", now, hold)
	require.NoError(t, err)
	assert.Equal(t, publicPrefix+"1", pub.Room, "an empty name opens a public room")

	t.Run("reserved seats count against the address's seats", func(t *testing.T) {
		cfg := cfg
		cfg.MaxSeatsPerIP = 1
		g := newRegistry(ctx, cfg, testLogger(), newMetrics())
		t.Cleanup(g.stopAll)
		_, err := g.reserve("solo", "10.0.0.7", now, hold)
		require.NoError(t, err)
		_, err = g.reserve("solo", "10.0.0.7", now, hold)
		var le *addressLimitError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, limitSeatsPerIP, le.limit)
		_, err = g.reserve("solo", "10.0.0.8", now, hold)
		assert.NoError(t, err, "another address")
		_, err = g.reserve("solo", "10.0.0.7", now.Add(hold), hold)
		assert.NoError(t, err, "once the first expired")
	})

	g.setDraining()
	_, err = g.reserve("lobby", "10.0.0.9", now, hold)
	assert.ErrorIs(t, err, ErrDraining)
	_, err = g.admit("", "tok4", "10.0.0.2")
	assert.ErrorIs(t, err, ErrDraining)
	_, err = g.claim(pub.Seat, "tok5", "10.0.0.2", now)
	assert.NoError(t, err, "a seat reserved before the drain is still good")
}
