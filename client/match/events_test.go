package match

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

func TestDiffEvents(t *testing.T) {
	player := func(id uint32, hp uint8, timer uint16) netcode.Entity {
		return netcode.Entity{ID: id, Kind: game.KindPlayer, X: 160, Y: 320, HP: hp, Timer: timer}
	}
	drone := netcode.Entity{ID: 5, Kind: game.KindDrone, X: 16, Y: 16, HP: 30}
	pellet := netcode.Entity{ID: 9, Kind: game.KindPellet, X: 32, Y: 48}
	for _, tc := range []struct {
		name      string
		prev, cur []netcode.Entity
		want      []Event
	}{
		{"nothing changed", []netcode.Entity{player(1, 100, 0), drone}, []netcode.Entity{player(1, 100, 0), drone}, nil},
		{"entities gone, first and last", []netcode.Entity{player(1, 100, 0), drone, pellet}, []netcode.Entity{drone}, []Event{
			{Kind: Gone, Entity: player(1, 100, 0), Pos: game.Vec{X: 10, Y: 20}},
			{Kind: Gone, Entity: pellet, Pos: game.Vec{X: 2, Y: 3}},
		}},
		{"new entities are no event", nil, []netcode.Entity{drone}, nil},
		{"a new projectile is a shot fired", nil, []netcode.Entity{{ID: 7, Kind: game.KindProjectile, X: 32, Y: 32, Owner: 1}}, []Event{
			{Kind: Fired, Entity: netcode.Entity{ID: 7, Kind: game.KindProjectile, X: 32, Y: 32, Owner: 1}, Pos: game.Vec{X: 2, Y: 2}},
		}},
		{"hurt", []netcode.Entity{player(1, 100, 0)}, []netcode.Entity{player(1, 80, 0)}, []Event{
			{Kind: Hurt, Entity: player(1, 80, 0), Pos: game.Vec{X: 10, Y: 20}, Amount: 20},
		}},
		{"died", []netcode.Entity{player(1, 20, 0)}, []netcode.Entity{player(1, 0, 90)}, []Event{
			{Kind: Died, Entity: player(1, 0, 90), Pos: game.Vec{X: 10, Y: 20}},
		}},
		{"respawned is no event", []netcode.Entity{player(1, 0, 1)}, []netcode.Entity{player(1, 100, 0)}, nil},
		{"drone damage is no event", []netcode.Entity{drone}, []netcode.Entity{{ID: 5, Kind: game.KindDrone, HP: 10}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, diffEvents(nil, tc.prev, tc.cur))
		})
	}
}
