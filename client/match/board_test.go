package match_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

func TestLiveBoard(t *testing.T) {
	srv, m, t0 := synced(t)
	self := uint32(srv.id)
	entry := func(id uint32, name string, score uint32) netcode.BoardEntry {
		return netcode.BoardEntry{ID: id, Name: name, Score: score}
	}
	others := func(n int, score uint32) []netcode.BoardEntry {
		var es []netcode.BoardEntry
		for i := range n {
			es = append(es, entry(9000+uint32(i), "bot", score))
		}
		return es
	}
	for _, tc := range []struct {
		name    string
		entries []netcode.BoardEntry
		rows    int
		want    []netcode.BoardEntry
	}{
		{"a stale own score takes the snapshot's and ranks again",
			[]netcode.BoardEntry{entry(self, "ann", 30), entry(9000, "bob", 5)}, 10,
			[]netcode.BoardEntry{entry(9000, "bob", 5), entry(self, "ann", 0)}},
		{"the own line joins a board with room on it",
			[]netcode.BoardEntry{entry(9000, "bob", 5)}, 10,
			[]netcode.BoardEntry{entry(9000, "bob", 5), entry(self, "ann", 0)}},
		{"a full board of better scores stays as it is",
			others(netcode.MaxBoardEntries, 7), 10,
			others(netcode.MaxBoardEntries, 7)},
		{"a small screen shows the top rows",
			others(netcode.MaxBoardEntries, 7), 3,
			others(3, 7)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := netcode.Board{Kind: netcode.KindBoard, Players: 12, Entries: tc.entries}
			data, err := netcode.Append(nil, &b)
			require.NoError(t, err)
			require.NoError(t, m.Handle(data, t0))
			got := m.LiveBoard(netcode.Board{}, tc.rows)
			assert.Equal(t, uint16(12), got.Players)
			assert.Equal(t, tc.want, got.Entries)
		})
	}
}
