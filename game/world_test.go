package game

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// busyConfig is a small arena, so scripted players fight, die and eat pellets.
func busyConfig(seed uint64) Config {
	return Config{Seed: seed, TickRate: 30, Width: 600, Height: 600, Drones: 12, Pellets: 40}
}

func newBusyWorld(seed uint64, players int) *World {
	w := NewWorld(busyConfig(seed))
	for range players {
		w.AddPlayer("bot")
	}
	return w
}

func TestDeterminismAcrossClone(t *testing.T) {
	w := newBusyWorld(42, 8)
	var in []PlayerInput
	for range 100 {
		in = scriptedInputs(in, w.Players(), w.Tick())
		w.Step(in)
	}
	c := w.Clone()
	require.Equal(t, w.Hash(), c.Hash())

	kills, pickups := 0, 0
	for tick := range 400 {
		// Joins and leaves are part of the script too.
		switch tick {
		case 50:
			assert.Equal(t, w.AddPlayer("late"), c.AddPlayer("late"))
		case 120:
			id := w.Players()[2].ID
			assert.True(t, w.RemovePlayer(id))
			assert.True(t, c.RemovePlayer(id))
		}
		in = scriptedInputs(in, w.Players(), w.Tick())
		before := w.Pellets()[0].ID
		w.Step(in)
		c.Step(in)
		require.Equal(t, w.Hash(), c.Hash(), "tick %d", w.Tick())
		for _, p := range w.Players() {
			if p.Respawn == w.ticks.respawn {
				kills++
			}
		}
		if w.Pellets()[0].ID != before {
			pickups++
		}
	}
	// The script must exercise combat, or this test proves little.
	assert.Positive(t, kills, "kills")
	assert.Positive(t, pickups, "pellet pickups")
}

func TestDeterminismSameSeed(t *testing.T) {
	a, b := newBusyWorld(5, 6), newBusyWorld(5, 6)
	var in []PlayerInput
	for range 300 {
		require.Equal(t, a.Hash(), b.Hash(), "tick %d", a.Tick())
		in = scriptedInputs(in, a.Players(), a.Tick())
		a.Step(in)
		b.Step(in)
	}
	assert.Equal(t, a.Hash(), b.Hash())
}

func TestDifferentSeedsDiffer(t *testing.T) {
	a, b := newBusyWorld(1, 4), newBusyWorld(2, 4)
	assert.NotEqual(t, a.Hash(), b.Hash())
	assert.NotEqual(t, a.Drones()[0].Pos, b.Drones()[0].Pos)
	assert.NotEqual(t, a.Players()[0].Pos, b.Players()[0].Pos)
}

func TestHashCoversState(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(w *World)
	}{
		{"tick", func(w *World) { w.tick++ }},
		{"id counter", func(w *World) { w.nextID++ }},
		{"prng", func(w *World) { w.rng.next() }},
		{"player position by one grid step", func(w *World) { w.players[0].Pos.X += 1.0 / PosScale }},
		{"player name", func(w *World) { w.players[1].Name = "bob" }},
		{"player score", func(w *World) { w.players[0].Score++ }},
		{"player best", func(w *World) { w.players[0].Best++ }},
		{"player cooldown", func(w *World) { w.players[0].Cooldown++ }},
		{"player input", func(w *World) { w.players[0].Input.Buttons ^= ButtonFire }},
		{"negative zero velocity", func(w *World) { w.players[0].Vel.X = math.Copysign(0, -1) }},
		{"drone hp", func(w *World) { w.drones[3].HP-- }},
		{"drone turn", func(w *World) { w.drones[3].Turn = math.Nextafter(w.drones[3].Turn, 1) }},
		{"projectile ttl", func(w *World) { w.projectiles[0].TTL-- }},
		{"pellet value", func(w *World) { w.pellets[0].Value++ }},
		{"one pellet fewer", func(w *World) { w.pellets = w.pellets[1:] }},
	}
	base := newBusyWorld(3, 3)
	base.players[0].Input.Buttons = ButtonFire
	base.Step(nil)
	require.NotEmpty(t, base.Projectiles())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := base.Clone()
			require.Equal(t, base.Hash(), w.Hash())
			tt.mutate(w)
			assert.NotEqual(t, base.Hash(), w.Hash())
		})
	}
}

func TestCloneIsDeep(t *testing.T) {
	w := newBusyWorld(9, 3)
	w.players[0].Input.Buttons = ButtonFire
	w.Step(nil)
	h := w.Hash()
	c := w.Clone()
	c.players[0].Score = 1000
	c.drones[0].HP = 1
	c.projectiles[0].TTL = 1
	c.pellets[0].Value = 9
	c.Step(nil)
	c.AddPlayer("new")
	assert.Equal(t, h, w.Hash(), "changing the clone leaves the original alone")
}

func TestAddRemovePlayer(t *testing.T) {
	w := NewWorld(Config{Seed: 1, Drones: 3, Pellets: 5})
	var ids []EntityID
	for range 5 {
		id := w.AddPlayer("p")
		p := mustPlayer(t, w, id)
		assert.Equal(t, MaxHP, p.HP)
		assert.True(t, p.Alive())
		assert.True(t, onPosGrid(p.Pos.X) && onPosGrid(p.Pos.Y))
		ids = append(ids, id)
	}
	assert.True(t, slices.IsSorted(ids))
	assert.Greater(t, ids[0], w.Pellets()[len(w.Pellets())-1].ID, "one counter for every kind")

	assert.True(t, w.RemovePlayer(ids[2]))
	assert.False(t, w.RemovePlayer(ids[2]), "already gone")
	assert.False(t, w.RemovePlayer(9999), "never existed")
	_, ok := w.Player(ids[2])
	assert.False(t, ok)
	assert.Equal(t, []EntityID{ids[0], ids[1], ids[3], ids[4]}, playerIDs(w))

	next := w.AddPlayer("q")
	assert.Greater(t, next, ids[4], "IDs are never reused")

	// Inputs for unknown players are ignored; known ones stick.
	w.Step([]PlayerInput{{ID: ids[2], Input: Input{Move: MoveUp}}, {ID: ids[0], Input: Input{Move: MoveUp | 0xf0, Buttons: 0xfe}}})
	assert.Equal(t, Input{Move: MoveUp}, mustPlayer(t, w, ids[0]).Input, "bits outside the masks dropped")
	w.Step(nil)
	assert.Equal(t, Input{Move: MoveUp}, mustPlayer(t, w, ids[0]).Input, "input persists")
}

func playerIDs(w *World) []EntityID {
	var ids []EntityID
	for _, p := range w.Players() {
		ids = append(ids, p.ID)
	}
	return ids
}

func TestStepKeepsInvariants(t *testing.T) {
	w := newBusyWorld(11, 10)
	cfg := w.Config()
	var in []PlayerInput
	for range 600 {
		in = scriptedInputs(in, w.Players(), w.Tick())
		w.Step(in)
		require.Len(t, w.Drones(), cfg.Drones)
		require.GreaterOrEqual(t, len(w.Pellets()), cfg.Pellets)
		require.LessOrEqual(t, len(w.Pellets()), cfg.Pellets+cfg.Drones*DronePellets)
		ids := make(map[EntityID]bool)
		checkSorted(t, ids, w.Players(), func(p Player) EntityID { return p.ID })
		checkSorted(t, ids, w.Drones(), func(d Drone) EntityID { return d.ID })
		checkSorted(t, ids, w.Projectiles(), func(p Projectile) EntityID { return p.ID })
		checkSorted(t, ids, w.Pellets(), func(p Pellet) EntityID { return p.ID })
		for _, p := range w.Players() {
			if !onPosGrid(p.Pos.X) || !onPosGrid(p.Pos.Y) || !onVelGrid(p.Vel.X) || !onVelGrid(p.Vel.Y) ||
				p.HP < 0 || p.HP > StatsFor(p.Score).MaxHP || p.Score < 0 || p.Best < p.Score || p.Alive() != (p.HP > 0) {
				t.Fatalf("tick %d: bad player %+v", w.Tick(), p)
			}
		}
		for _, d := range w.Drones() {
			if !inWorld(w, d.Pos) {
				t.Fatalf("tick %d: drone outside %+v", w.Tick(), d)
			}
		}
		for _, p := range w.Projectiles() {
			if !inWorld(w, p.Pos) {
				t.Fatalf("tick %d: projectile outside %+v", w.Tick(), p)
			}
		}
	}
}

func checkSorted[T any](t *testing.T, seen map[EntityID]bool, s []T, id func(T) EntityID) {
	t.Helper()
	for i, e := range s {
		if seen[id(e)] || i > 0 && id(s[i-1]) >= id(e) {
			t.Fatalf("id %d reused or out of order", id(e))
		}
		seen[id(e)] = true
	}
}

func inWorld(w *World, p Vec) bool {
	s := w.Size()
	return p.X >= 0 && p.Y >= 0 && p.X <= s.X && p.Y <= s.Y
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"default", DefaultConfig(), true},
		{"zero fills defaults", Config{}, true},
		{"no drones or pellets", Config{Seed: 1, TickRate: 60}, true},
		{"tick rate too high", Config{TickRate: MaxTickRate + 1}, false},
		{"negative tick rate", Config{TickRate: -1}, false},
		{"too wide for the wire", Config{Width: 5000}, false},
		{"too small", Config{Height: 50}, false},
		{"NaN width", Config{Width: math.NaN()}, false},
		{"negative drones", Config{Drones: -1}, false},
		{"too many pellets", Config{Pellets: MaxPellets + 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.ok {
				require.NoError(t, err)
				w := NewWorld(tt.cfg)
				assert.Positive(t, w.Dt())
				assert.Len(t, w.Drones(), tt.cfg.Drones)
				assert.Len(t, w.Pellets(), tt.cfg.Pellets)
				return
			}
			require.ErrorIs(t, err, ErrConfig)
			assert.Panics(t, func() { NewWorld(tt.cfg) })
		})
	}
	assert.Equal(t, Vec{DefaultWorldSize, DefaultWorldSize}, NewWorld(Config{}).Size())
}
