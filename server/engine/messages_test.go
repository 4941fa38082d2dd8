package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

func TestPingGetsPong(t *testing.T) {
	cfg := testConfig(t)
	cfg.NewSim = newCounterSim(nil)
	ts := startServer(t, cfg)
	c := dial(t, ts.addr)
	c.hello("pinger", "pong", "")
	_, err := c.next(netcode.KindSnapshot) // the room has ticked
	require.NoError(t, err)

	c.send(&netcode.Ping{ClientTime: 123456})
	b, err := c.next(netcode.KindPong)
	require.NoError(t, err)
	var p netcode.Pong
	require.NoError(t, netcode.DecodePong(b, &p))
	assert.Equal(t, int64(123456), p.ClientTime)
	assert.Positive(t, p.ServerTime)
	assert.Positive(t, p.ServerTick)
}

func TestBoardOnceASecond(t *testing.T) {
	cfg := testConfig(t)
	cfg.NewSim = newCounterSim(nil)
	ts := startServer(t, cfg)
	a, b := dial(t, ts.addr), dial(t, ts.addr)
	wa := a.hello("first", "board", "")
	b.hello("second", "board", "")

	msg, err := b.next(netcode.KindBoard)
	require.NoError(t, err)
	var board netcode.Board
	require.NoError(t, netcode.DecodeBoard(msg, &board))
	assert.Equal(t, uint16(2), board.Players)
	require.Len(t, board.Entries, 2)
	assert.Equal(t, wa.PlayerID, board.Entries[0].ID, "the first to join has scored the most (or as much, with the lower ID)")
	assert.Equal(t, "first", board.Entries[0].Name)
	assert.GreaterOrEqual(t, board.Entries[0].Score, board.Entries[1].Score)
}

func TestInsertTopKeepsTheBest(t *testing.T) {
	var top []netcode.BoardEntry
	for id, score := range []uint32{5, 9, 1, 9, 7, 3} {
		top = insertTop(top, netcode.BoardEntry{ID: uint32(id + 1), Score: score}, 3)
	}
	assert.Equal(t, []netcode.BoardEntry{{ID: 2, Score: 9}, {ID: 4, Score: 9}, {ID: 5, Score: 7}}, top)
}
