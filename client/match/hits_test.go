package match

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

func TestOwnHits(t *testing.T) {
	const self, other = 1, 2
	q := func(v float64) uint16 { return netcode.QuantizePos(v) }
	player := func(id uint32, x float64, hp uint8, timer uint16) netcode.Entity {
		return netcode.Entity{ID: id, Kind: game.KindPlayer, X: q(x), Y: q(500), HP: hp, Timer: timer}
	}
	drone := func(x float64, hp uint8) netcode.Entity {
		return netcode.Entity{ID: 5, Kind: game.KindDrone, X: q(x), Y: q(500), HP: hp}
	}
	// A shot of owner's flying +X at x; 900 units/s, 30 units a tick.
	shot := func(id, owner uint32, x float64) netcode.Entity {
		return netcode.Entity{ID: id, Kind: game.KindProjectile, X: q(x), Y: q(500), VX: netcode.QuantizeVel(game.ProjectileSpeed), Owner: owner}
	}
	me := player(self, 100, 100, 0)
	for _, tc := range []struct {
		name      string
		prev, cur []netcode.Entity
		want      []Event
	}{
		{"own shot hits a player",
			[]netcode.Entity{me, player(other, 420, 100, 0), shot(10, self, 380)},
			[]netcode.Entity{me, player(other, 420, 80, 0)},
			[]Event{{Kind: Landed, Entity: player(other, 420, 100, 0), Pos: player(other, 420, 100, 0).Pos(), Amount: 20}}},
		{"own shot kills a player",
			[]netcode.Entity{me, player(other, 420, 20, 0), shot(10, self, 380)},
			[]netcode.Entity{me, player(other, 420, 0, 90)},
			[]Event{{Kind: Landed, Entity: player(other, 420, 20, 0), Pos: player(other, 420, 20, 0).Pos(), Amount: 20, Killed: true}}},
		{"two shots destroy a drone",
			[]netcode.Entity{me, drone(420, 30), shot(10, self, 385), shot(11, self, 380)},
			[]netcode.Entity{me},
			[]Event{
				{Kind: Landed, Entity: drone(420, 30), Pos: drone(420, 30).Pos(), Amount: 20},
				{Kind: Landed, Entity: drone(420, 30), Pos: drone(420, 30).Pos(), Amount: 10, Killed: true},
			}},
		{"a levelled gun's hit counts its damage, once",
			func() []netcode.Entity {
				strong := me
				strong.Score = uint32(game.LevelScore(game.MaxLevel)) // damage raised twice
				return []netcode.Entity{strong, player(other, 420, 100, 0), shot(10, self, 380)}
			}(),
			[]netcode.Entity{me, player(other, 420, 100-uint8(game.StatsAt(game.MaxLevel).Damage), 0)},
			[]Event{{Kind: Landed, Entity: player(other, 420, 100, 0), Pos: player(other, 420, 100, 0).Pos(), Amount: game.StatsAt(game.MaxLevel).Damage}}},
		{"someone else's shot is not ours",
			[]netcode.Entity{me, player(other, 420, 100, 0), shot(10, 3, 380)},
			[]netcode.Entity{me, player(other, 420, 80, 0)},
			nil},
		{"a shot that expired far away hit nothing",
			[]netcode.Entity{me, player(other, 900, 100, 0), shot(10, self, 380)},
			[]netcode.Entity{me, player(other, 900, 80, 0)},
			nil},
		{"a shot still flying hit nothing",
			[]netcode.Entity{me, player(other, 420, 100, 0), shot(10, self, 380)},
			[]netcode.Entity{me, player(other, 420, 80, 0), shot(10, self, 410)},
			nil},
		{"being hurt oneself is no hit",
			[]netcode.Entity{player(self, 400, 100, 0), shot(10, self, 380)},
			[]netcode.Entity{player(self, 400, 80, 0)},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ownHits(nil, tc.prev, tc.cur, self, 1, 30))
		})
	}
}

func TestSegmentDistance(t *testing.T) {
	a, b := game.Vec{X: 0, Y: 0}, game.Vec{X: 10, Y: 0}
	for _, tc := range []struct {
		name string
		p    game.Vec
		want float64
	}{
		{"above the middle", game.Vec{X: 5, Y: 3}, 3},
		{"before the start", game.Vec{X: -4, Y: 3}, 5},
		{"past the end", game.Vec{X: 13, Y: 4}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.InDelta(t, tc.want, segmentDistance(tc.p, a, b), 1e-9) })
	}
	assert.InDelta(t, 5, segmentDistance(game.Vec{X: 3, Y: 4}, a, a), 1e-9, "a point segment")
}
