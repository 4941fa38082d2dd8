package netcode

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

func TestCaptureEntitiesMerges(t *testing.T) {
	ps := []game.Player{
		{ID: 2, Name: "ann", Pos: game.Vec{X: 10, Y: 20}, Vel: game.Vec{X: -1.5, Y: 2}, HP: 100, Score: 7, Respawn: 0, KilledBy: 9},
		{ID: 9, Name: "bob", HP: -1, Score: -4, Respawn: 70000},
	}
	ds := []game.Drone{{ID: 1, Pos: game.Vec{X: 1, Y: 1}, Vel: game.Vec{X: 3}, HP: 3}, {ID: 10, HP: 300}}
	js := []game.Projectile{{ID: 5, Owner: 2, Pos: game.Vec{X: 4000, Y: 4000}, Vel: game.Vec{Y: -600}, TTL: 9}}
	ls := []game.Pellet{{ID: 3, Pos: game.Vec{X: 0.5}, Value: 5}, {ID: 4, Value: 1}, {ID: 11}}

	got := captureEntities(nil, ps, ds, js, ls)
	want := []Entity{
		{ID: 1, Kind: game.KindDrone, X: 16, Y: 16, VX: 48, HP: 3},
		{ID: 2, Kind: game.KindPlayer, X: 160, Y: 320, VX: -24, VY: 32, Angle: game.QuantizeAngle(0), HP: 100, Score: 7, Owner: 9, Name: "ann"},
		{ID: 3, Kind: game.KindPellet, X: 8, Score: 5},
		{ID: 4, Kind: game.KindPellet, Score: 1},
		{ID: 5, Kind: game.KindProjectile, X: 64000, Y: 64000, VY: -9600, Owner: 2},
		{ID: 9, Kind: game.KindPlayer, Angle: game.QuantizeAngle(0), HP: 0, Score: 0, Timer: 65535, Name: "bob"},
		{ID: 10, Kind: game.KindDrone, HP: 255},
		{ID: 11, Kind: game.KindPellet},
	}
	assert.Equal(t, want, got)

	t.Run("empty", func(t *testing.T) {
		assert.Empty(t, captureEntities(nil, nil, nil, nil, nil))
	})
	t.Run("reuses dst", func(t *testing.T) {
		dst := make([]Entity, 3, 16)
		if !wireRaceEnabled {
			assert.Zero(t, testing.AllocsPerRun(50, func() { dst = captureEntities(dst[:0], ps, ds, js, ls) }))
		}
		assert.Equal(t, want, captureEntities(dst[:0], ps, ds, js, ls))
	})
}

// wirePlayWorld builds a world with players that have moved and fired for a
// while. Until the game package lands it is an empty world.
func wirePlayWorld(tb testing.TB, players, ticks int) *game.World {
	tb.Helper()
	w := game.NewWorld(game.DefaultConfig())
	var ids []game.EntityID
	for i := range players {
		ids = append(ids, w.AddPlayer("p"+string(rune('a'+i%26))))
	}
	r := rand.New(rand.NewPCG(7, 7))
	inputs := make([]game.PlayerInput, len(ids))
	for range ticks {
		for i, id := range ids {
			inputs[i] = game.PlayerInput{ID: id, Input: game.Input{Move: uint8(r.IntN(16)), Aim: r.Float64()*6 - 3, Buttons: uint8(r.IntN(2))}}
		}
		w.Step(inputs)
	}
	return w
}

func TestCaptureWorld(t *testing.T) {
	w := wirePlayWorld(t, 20, 90)
	got := CaptureWorld(nil, w)
	n := len(w.Players()) + len(w.Drones()) + len(w.Projectiles()) + len(w.Pellets())
	require.Len(t, got, n)
	assert.True(t, slices.IsSortedFunc(got, func(a, b Entity) int { return cmp.Compare(a.ID, b.ID) }))
	for i := 1; i < len(got); i++ {
		assert.Less(t, got[i-1].ID, got[i].ID, "IDs strictly ascending")
	}
	for _, p := range w.Players() {
		i, ok := slices.BinarySearchFunc(got, uint32(p.ID), func(e Entity, id uint32) int { return cmp.Compare(e.ID, id) })
		require.True(t, ok)
		e := got[i]
		assert.Equal(t, game.KindPlayer, e.Kind)
		// The world keeps players on the wire grid, so capture is lossless.
		q := PlayerFromEntity(e)
		assert.Equal(t, p.Pos, q.Pos, "player %d position", p.ID)
		assert.Equal(t, p.Vel, q.Vel, "player %d velocity", p.ID)
		assert.Equal(t, p.Aim, q.Aim, "player %d aim", p.ID)
		assert.Equal(t, p.Name, q.Name)
	}
	if n == 0 {
		t.Log("the game package is still a stub: the world is empty")
	}
}
