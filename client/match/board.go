package match

import (
	"slices"

	"github.com/skirmish-game/skirmish/netcode"
)

// LiveBoard returns the scoreboard to draw, at most n lines, in dst's
// storage: the server's last Board with the scores of the players in the
// newest snapshot brought up to date, and ranked again.
//
// The server sends its Board once a second but a player's score in every
// snapshot, so the board alone lags the own score in the HUD by up to a
// second after each pellet or kill; and it is computed on a tick the client
// draws at a different moment. Scores of players out of view stay as the
// Board has them (the snapshots do not carry them), and the own line is
// always the snapshot's.
func (m *Match) LiveBoard(dst netcode.Board, n int) netcode.Board {
	dst.Kind, dst.Players = m.board.Kind, m.board.Players
	dst.Entries = append(dst.Entries[:0], m.board.Entries...)
	listed := false
	for i := range dst.Entries {
		if e, ok := m.entity(dst.Entries[i].ID); ok {
			dst.Entries[i].Score = e.Score
		}
		listed = listed || dst.Entries[i].ID == m.self
	}
	// The own score may have climbed onto a board sent before it did.
	if self, ok := m.Self(); ok && !listed {
		dst.Entries = append(dst.Entries, netcode.BoardEntry{ID: self.ID, Name: self.Name, Score: self.Score})
	}
	slices.SortStableFunc(dst.Entries, func(a, b netcode.BoardEntry) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return int(int64(a.ID) - int64(b.ID))
	})
	if !listed && len(dst.Entries) > netcode.MaxBoardEntries {
		// Not on the board after all: the HUD adds the own line under it.
		dst.Entries = dst.Entries[:netcode.MaxBoardEntries]
	}
	if len(dst.Entries) > n {
		dst.Entries = dst.Entries[:max(n, 0)]
	}
	return dst
}
