package game

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRewindHitsWhereTheTargetWas: a shooter at (1000, 1000) fires right at
// a target 200 units away that crosses the line of fire at 300 units/s. The
// shot reaches the target's x in its sixth tick (hitTick); the target is
// placed so that it was on the line crossAgo ticks before that. A shot
// whose rewind matches hits; one that does not misses by 60 units or more;
// a rewind past MaxRewind counts as MaxRewind (7.5 ticks at 30 Hz).
func TestRewindHitsWhereTheTargetWas(t *testing.T) {
	const (
		warm    = 10           // ticks stepped before the shot, so the ring is full
		hitTick = warm + 1 + 5 // the shot's step, then 1024+30j reaches x 1176 at j = 5
		speed   = PlayerSpeed / DefaultTickRate
	)
	capTicks := MaxRewind * DefaultTickRate
	tests := []struct {
		name     string
		rewind   float64 // the shooter's input
		crossAgo float64 // ticks before hitTick the target was on the line
		hit      bool
	}{
		{name: "no rewind, aimed where the target is", rewind: 0, crossAgo: 0, hit: true},
		{name: "no rewind, aimed where it was 6 ticks ago", rewind: 0, crossAgo: 6, hit: false},
		{name: "rewind 6, aimed where it was 6 ticks ago", rewind: 6, crossAgo: 6, hit: true},
		{name: "rewind 6, aimed where it is", rewind: 6, crossAgo: 0, hit: false},
		{name: "a fraction of a tick, between two records", rewind: 3.5, crossAgo: 3.5, hit: true},
		{name: "negative rewind is none", rewind: -6, crossAgo: 0, hit: true},
		{name: "at the cap", rewind: capTicks, crossAgo: capTicks, hit: true},
		{name: "far past the cap, aimed that far back", rewind: 20, crossAgo: 20, hit: false},
		{name: "far past the cap is the cap", rewind: 20, crossAgo: capTicks, hit: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWorld(quietConfig())
			shooter, target := w.AddPlayer("shooter"), w.AddPlayer("target")
			s := mustPlayer(t, w, shooter)
			s.Pos, s.Vel = Vec{1000, 1000}, Vec{}
			p := mustPlayer(t, w, target)
			p.Pos, p.Vel = Vec{1200, 1000 - speed*(hitTick-tt.crossAgo)}, Vec{0, PlayerSpeed}
			down := PlayerInput{ID: target, Input: Input{Move: MoveDown}}
			for range warm {
				w.Step([]PlayerInput{down})
			}
			w.Step([]PlayerInput{down, {ID: shooter, Input: Input{Aim: 0, Buttons: ButtonFire, Seq: 77, Rewind: tt.rewind}}})
			require.Len(t, w.Projectiles(), 1)
			assert.Equal(t, uint32(77), w.Projectiles()[0].Seq, "the shot carries its input's seq")
			assert.LessOrEqual(t, w.Projectiles()[0].Rewind, capTicks, "the shot's rewind is capped")
			w.Step([]PlayerInput{{ID: shooter, Input: Input{}}})
			for range w.ticks.projectileTTL {
				w.Step(nil)
			}
			require.Empty(t, w.Projectiles(), "the shot is gone")
			hurt := mustPlayer(t, w, target).HP < MaxHP
			assert.Equal(t, tt.hit, hurt, "target at %v", mustPlayer(t, w, target).Pos)
		})
	}
}

// TestRewindSkipsTheDeadAndTheRespawned: a target that was dead at the
// rewound time is not hit there, though it is alive now.
func TestRewindSkipsTheDeadAndTheRespawned(t *testing.T) {
	w := NewWorld(quietConfig())
	shooter, target := w.AddPlayer("shooter"), w.AddPlayer("target")
	mustPlayer(t, w, shooter).Pos = Vec{1000, 1000}
	p := mustPlayer(t, w, target)
	p.Pos, p.Respawn, p.HP = Vec{1150, 1000}, 3, 0 // dead, respawning in 3 ticks
	w.Step(nil)
	w.Step(nil)
	w.Step(nil) // respawned somewhere at random
	p = mustPlayer(t, w, target)
	require.True(t, p.Alive())
	p.Pos = Vec{3000, 3000} // far from the line of fire now
	w.Step([]PlayerInput{{ID: shooter, Input: Input{Aim: 0, Buttons: ButtonFire, Rewind: 5}}})
	for range 6 {
		w.Step([]PlayerInput{{ID: shooter, Input: Input{}}})
	}
	assert.Equal(t, MaxHP, mustPlayer(t, w, target).HP, "dead where the shot looked: not hit")
}

// TestDeterminismWithRewind: worlds whose shots are rewound step alike
// from a clone, and the hash sees the ring, the seqs and the rewinds.
func TestDeterminismWithRewind(t *testing.T) {
	w := newBusyWorld(9, 8)
	var in []PlayerInput
	rewound := func() []PlayerInput {
		in = scriptedInputs(in, w.Players(), w.Tick())
		for i := range in {
			in[i].Input.Seq = w.Tick()
			in[i].Input.Rewind = float64(mix(uint64(w.Tick())^uint64(in[i].ID))%100) / 8
		}
		return in
	}
	for range 60 {
		w.Step(rewound())
	}
	c := w.Clone()
	require.Equal(t, w.Hash(), c.Hash())
	for range 300 {
		in := rewound()
		w.Step(in)
		c.Step(in)
		require.Equal(t, w.Hash(), c.Hash(), "tick %d", w.Tick())
	}

	for _, kind := range []struct {
		name string
		k    int
	}{{"players", pastPlayers}, {"drones", pastDrones}} {
		t.Run("the hash covers the ring of "+kind.name, func(t *testing.T) {
			c := w.Clone()
			require.NotEmpty(t, c.rewind.frames[0][kind.k])
			c.rewind.frames[0][kind.k][0].pos.X += 1
			assert.NotEqual(t, w.Hash(), c.Hash())
		})
		t.Run("the clone's ring of "+kind.name+" is its own", func(t *testing.T) {
			c := w.Clone()
			c.rewind.frames[0][kind.k][0].pos.X += 1
			assert.NotEqual(t, w.rewind.frames[0][kind.k][0].pos, c.rewind.frames[0][kind.k][0].pos)
		})
	}
	t.Run("the hash covers a shot's rewind", func(t *testing.T) {
		c := w.Clone()
		require.NotEmpty(t, c.projectiles)
		c.projectiles[0].Rewind += 1
		assert.NotEqual(t, w.Hash(), c.Hash())
	})
}

// TestRewindHitsDronesWhereTheyWere: a shooter at (1000, 1000) fires right
// along y = 1000 at a drone at x 1200 that flies down, away from the line,
// at DroneSpeed (2.67 units a tick). The drone is placed 16 units below the
// line crossAgo ticks before the shot reaches it (hitTick), well within the
// 28 units (DroneRadius + ProjectileRadius) a hit needs; 7.5 ticks later it
// is 36 units below, out of reach. A shot rewound to where the shooter saw
// it hits; the same shot unrewound misses; the cap holds for drones too.
func TestRewindHitsDronesWhereTheyWere(t *testing.T) {
	const (
		warm    = 10           // ticks stepped before the shot, so the ring is full
		hitTick = warm + 1 + 5 // as in TestRewindHitsWhereTheTargetWas
		below   = 16.0         // units below the line of fire, crossAgo ticks before hitTick
		speed   = DroneSpeed / DefaultTickRate
	)
	capTicks := MaxRewind * DefaultTickRate
	tests := []struct {
		name     string
		rewind   float64
		crossAgo float64
		hit      bool
	}{
		{name: "no rewind, aimed where it is", rewind: 0, crossAgo: 0, hit: true},
		{name: "no rewind, aimed where the shooter saw it", rewind: 0, crossAgo: capTicks, hit: false},
		{name: "rewound to where the shooter saw it", rewind: capTicks, crossAgo: capTicks, hit: true},
		{name: "far past the cap, aimed that far back", rewind: 20, crossAgo: 20, hit: false},
		{name: "far past the cap is the cap", rewind: 20, crossAgo: capTicks, hit: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWorld(Config{Seed: 7, Drones: 1})
			shooter := w.AddPlayer("shooter")
			s := mustPlayer(t, w, shooter)
			s.Pos, s.Vel = Vec{1000, 1000}, Vec{}
			require.Len(t, w.drones, 1)
			d := &w.drones[0]
			id := d.ID
			d.Pos, d.Vel, d.Turn = Vec{1200, 1000 + below - speed*(hitTick-tt.crossAgo)}, Vec{0, DroneSpeed}, 0
			for range warm {
				w.Step(nil)
			}
			w.Step([]PlayerInput{{ID: shooter, Input: Input{Aim: 0, Buttons: ButtonFire, Rewind: tt.rewind}}})
			require.Len(t, w.Projectiles(), 1)
			assert.LessOrEqual(t, w.Projectiles()[0].Rewind, capTicks, "the shot's rewind is capped")
			w.Step([]PlayerInput{{ID: shooter, Input: Input{}}})
			for range w.ticks.projectileTTL {
				w.Step(nil)
			}
			require.Empty(t, w.Projectiles(), "the shot is gone")
			require.Len(t, w.drones, 1)
			require.Equal(t, id, w.drones[0].ID, "one hit does not destroy a drone")
			assert.Equal(t, tt.hit, w.drones[0].HP < DroneHP, "drone at %v", w.drones[0].Pos)
		})
	}
}

// TestRewindReachCoversEveryTarget: the grid query of a rewound shot widens
// by rewindSpeed, so nothing may move faster, at any level.
func TestRewindReachCoversEveryTarget(t *testing.T) {
	for level := 1; level <= MaxLevel; level++ {
		assert.Less(t, StatsAt(level).Speed, float64(rewindSpeed), "a player at level %d", level)
	}
	assert.Less(t, DroneSpeed, float64(rewindSpeed), "a drone")
}
