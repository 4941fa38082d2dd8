package app

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/lobby"
	"github.com/skirmish-game/skirmish/netcode"
)

func fleetOf(rooms ...lobby.Room) lobby.Fleet {
	return lobby.Fleet{
		Servers: []lobby.Server{{ID: "a", Players: 7, Region: "eu"}, {ID: "b", Players: 2}, {ID: "c", Draining: true}},
		Rooms:   rooms,
	}
}

func TestRoomList(t *testing.T) {
	var l roomList
	assert.Equal(t, "asking the fleet for its rooms…", l.summary())
	l.set(fleetOf(
		lobby.Room{Name: "quiet", Server: "b", URL: "ws://10.0.0.2:8080/ws", Players: 2, Capacity: 100, Public: true},
		lobby.Room{Name: "busy", Server: "a", URL: "ws://10.0.0.1:8080/ws", Players: 7, Capacity: 8, Public: true},
		lobby.Room{Name: "friends", Server: "a", URL: "ws://10.0.0.1:8080/ws", Players: 9, Capacity: 10},
		lobby.Room{Name: "full", Server: "a", URL: "ws://10.0.0.1:8080/ws", Players: 8, Capacity: 8, Public: true},
		lobby.Room{Name: "empty", Server: "b", URL: "ws://10.0.0.2:8080/ws", Capacity: 10},
		lobby.Room{Name: "duo", Server: "b", URL: "ws://10.0.0.2:8080/ws", Players: 2, Capacity: 10},
	))
	require.Equal(t, 6, l.rows(), "quick play, the public rooms and the named rooms with players")
	assert.Equal(t, "2 servers · 5 rooms · 9 players", l.summary(), "draining servers do not count")
	var names []string
	for i := range l.rows() {
		n, _, _, _ := l.row(i)
		names = append(names, n)
	}
	assert.Equal(t, []string{"Quick play", "full", "busy", "quiet", "friends · named", "duo · named"}, names,
		"public rooms fullest first, then named ones fullest first; no empty named room")
	_, seats, where, full := l.row(1)
	assert.Equal(t, "8/8", seats)
	assert.Equal(t, "eu · 10.0.0.1:8080", where, "the region and the host, not the server ID")
	assert.True(t, full)
	_, _, where, _ = l.row(3)
	assert.Equal(t, "10.0.0.2:8080", where, "a server without a region")

	for _, tc := range []struct {
		name string
		do   func()
		want string
	}{
		{"quick play at first", func() {}, ""},
		{"down", func() { l.move(1) }, "full"},
		{"down twice more", func() { l.move(2) }, "quiet"},
		{"past the end stays", func() { l.move(9) }, "duo"},
		{"up to the top", func() { l.move(-9) }, ""},
		{"a click", func() { l.pick(2) }, "busy"},
		{"a click past the rows", func() { l.pick(9) }, "busy"},
		{"a refresh keeps the pick", func() {
			l.set(fleetOf(lobby.Room{Name: "busy", Players: 1, Capacity: 8, Public: true}, lobby.Room{Name: "new", Players: 5, Public: true}))
		}, "busy"},
		{"typing a listed name", func() { require.True(t, l.selectName("new")) }, "new"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.do()
			assert.Equal(t, tc.want, l.selected())
		})
	}
	assert.False(t, l.selectName("elsewhere"))
	l.fail("no room list: connection refused")
	assert.Equal(t, "no room list: connection refused", l.summary())
	assert.Equal(t, 3, l.rows(), "the last list stays")
}

func TestRoomListNamedRooms(t *testing.T) {
	for _, tc := range []struct {
		name string
		room lobby.Room
		want []string // the rows after quick play
	}{
		{"named with players", lobby.Room{Name: "friends", Players: 1, Capacity: 4}, []string{"friends · named"}},
		{"named and empty", lobby.Room{Name: "friends", Capacity: 4}, nil},
		{"public and empty", lobby.Room{Name: "arena-1", Capacity: 4, Public: true}, []string{"arena-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l roomList
			l.set(lobby.Fleet{Rooms: []lobby.Room{tc.room}})
			var got []string
			for i := 1; i < l.rows(); i++ {
				n, _, _, _ := l.row(i)
				got = append(got, n)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want != nil, l.selectName(tc.room.Name), "a listed room can be picked by its name")
		})
	}
}

func TestRoomListWindowKeepsTheSelection(t *testing.T) {
	var rooms []lobby.Room
	for i := range 30 {
		rooms = append(rooms, lobby.Room{Name: string(rune('a'+i%26)) + string(rune('a'+i/26)), Public: true})
	}
	var l roomList
	l.set(lobby.Fleet{Rooms: rooms})
	for _, tc := range []struct {
		name  string
		sel   int
		first int
	}{
		{"top", 0, 0},
		{"middle", 15, 11},
		{"bottom", 30, 22},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l.sel = tc.sel
			first, count := l.window(listRows)
			assert.Equal(t, listRows, count)
			assert.Equal(t, tc.first, first)
			assert.True(t, tc.sel >= first && tc.sel < first+count)
		})
	}
}

func TestMoveNotice(t *testing.T) {
	for _, tc := range []struct {
		name         string
		err          error
		moving, done string
	}{
		{"draining", &link.Refusal{Code: netcode.CloseGoingAway, Text: "draining"},
			"Server draining, moving you to another server", "Server draining: moved you to another server"},
		{"gone", errors.Join(link.ErrServerGone, errors.New("connection refused")),
			"Server lost, moving you to another server", "Server lost: moved you to another server"},
		{"ticket", &link.Refusal{Code: netcode.CloseTicketExpired},
			"Seat refused, finding you another", "Seat refused: found you another"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.moving, moveNotice(tc.err, false))
			assert.Equal(t, tc.done, moveNotice(tc.err, true))
		})
	}
}
