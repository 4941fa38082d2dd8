package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// since dates each entity's last change as clients other than its owner see
// it, from one recorded frame to the next.
func TestHistoryDatesChangesAsOthersSeeThem(t *testing.T) {
	base := []netcode.Entity{
		{ID: 1, X: 10, Y: 10},
		{ID: 2, X: 20, Y: 20},
		{ID: 3, X: 30, Y: 30},
	}
	tests := []struct {
		name  string
		slots int
		next  func([]netcode.Entity) []netcode.Entity
		want  []uint32 // since of each entity of the second frame (tick 4)
	}{
		{"nothing changed", 4, func(e []netcode.Entity) []netcode.Entity { return e }, []uint32{2, 2, 2}},
		{"a move", 4, func(e []netcode.Entity) []netcode.Entity { e[1].X++; return e }, []uint32{2, 4, 2}},
		{"velocity only: the owner's", 4, func(e []netcode.Entity) []netcode.Entity { e[0].VX = 5; return e }, []uint32{2, 2, 2}},
		{"a removal and a create", 4, func(e []netcode.Entity) []netcode.Entity {
			return append([]netcode.Entity{e[0], e[2]}, netcode.Entity{ID: 9})
		}, []uint32{2, 2, 4}},
		{"a ring of one slot keeps no previous frame", 1, func(e []netcode.Entity) []netcode.Entity { return e }, []uint32{4, 4, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHistory(tt.slots, 2)
			first := h.record(2, func(dst []netcode.Entity) []netcode.Entity { return append(dst, base...) })
			require.Equal(t, []uint32{2, 2, 2}, first.since, "the first frame dates everything from itself")
			f := h.record(4, func(dst []netcode.Entity) []netcode.Entity {
				return append(dst, tt.next(append([]netcode.Entity(nil), base...))...)
			})
			assert.Equal(t, tt.want, f.since)
		})
	}
}
