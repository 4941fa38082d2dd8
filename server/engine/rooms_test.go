package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

func TestRoomsFillUpThenOpen(t *testing.T) {
	cfg := testConfig(t)
	cfg.RoomCapacity = 2
	ts := startServer(t, cfg, withSim(newCounterSim(nil)))

	var rooms []string
	for range 5 {
		rooms = append(rooms, dial(t, ts.addr).hello("p", "", "").Room)
	}
	assert.Equal(t, []string{"arena-1", "arena-1", "arena-2", "arena-2", "arena-3"}, rooms)
	named := dial(t, ts.addr).hello("p", "private", "")
	assert.Equal(t, "private", named.Room)
	assert.Equal(t, "arena-3", dial(t, ts.addr).hello("p", "", "").Room, "named rooms are not handed out")
}

func TestMaxRooms(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxRooms = 1
	ts := startServer(t, cfg, withSim(newCounterSim(nil)))
	dial(t, ts.addr).hello("p", "one", "")
	c := dial(t, ts.addr)
	c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Room: "two"})
	c.requireClose(netcode.CloseRoomFull, true)
}

func TestEmptyRoomCloses(t *testing.T) {
	cfg := testConfig(t)
	cfg.EmptyRoomTTL = 50 * time.Millisecond
	ts := startServer(t, cfg, withSim(newCounterSim(nil)))
	c := dial(t, ts.addr)
	c.hello("p", "lonely", "")
	rooms, players := ts.rooms.stats()
	require.Equal(t, 1, rooms)
	require.Equal(t, 1, players)

	require.NoError(t, c.conn.Close()) // quit (1000): no resume grace
	require.Eventually(t, func() bool {
		rooms, players := ts.rooms.stats()
		return rooms == 0 && players == 0
	}, waitFor, time.Millisecond)
	assert.Zero(t, counterValue(t, ts.m.rooms))
	assert.Zero(t, counterValue(t, ts.m.players))

	again := dial(t, ts.addr)
	assert.Equal(t, "lonely", again.hello("p", "lonely", "").Room, "the name can be used again")
}
