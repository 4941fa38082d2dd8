package game

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fireRight = Input{Aim: 0, Buttons: ButtonFire}

func TestProjectileKillsDrone(t *testing.T) {
	cfg := quietConfig()
	cfg.Drones = 1
	w := NewWorld(cfg)
	shooter := w.AddPlayer("shooter")
	mustPlayer(t, w, shooter).Pos = Vec{1000, 1000}
	target := w.Drones()[0].ID
	spot := Vec{1150, 1000}

	w.Step([]PlayerInput{{ID: shooter, Input: fireRight}})
	for ticks := 0; w.drones[0].ID == target; ticks++ {
		require.Less(t, ticks, 3*DefaultTickRate, "drone still alive")
		w.drones[0].Pos = spot // hold it in the line of fire
		w.Step(nil)
	}

	assert.Equal(t, DroneKillScore, mustPlayer(t, w, shooter).Score)
	assert.Len(t, w.Drones(), 1, "a destroyed drone is replaced")
	assert.Equal(t, DroneHP, w.Drones()[0].HP)
	require.Len(t, w.Pellets(), DronePellets, "the wreck drops pellets")
	for _, pe := range w.Pellets() {
		assert.Equal(t, DropPelletValue, pe.Value)
		assert.LessOrEqual(t, pe.Pos.Sub(spot).Len(), DropScatter+DroneSpeed/DefaultTickRate)
	}
}

func TestPlayerKilledAndRespawns(t *testing.T) {
	w := NewWorld(quietConfig())
	killer, victim := w.AddPlayer("killer"), w.AddPlayer("victim")
	mustPlayer(t, w, killer).Pos = Vec{1000, 1000}
	v := mustPlayer(t, w, victim)
	v.Pos = Vec{1100, 1000}
	v.Score = 101

	w.Step([]PlayerInput{{ID: killer, Input: fireRight}, {ID: victim, Input: Input{Move: MoveDown}}})
	hits := 0
	for ticks := 0; mustPlayer(t, w, victim).Alive(); ticks++ {
		require.Less(t, ticks, 3*DefaultTickRate, "victim still alive")
		v := mustPlayer(t, w, victim)
		v.Pos, v.Vel = Vec{1100, 1000}, Vec{} // a sitting duck
		hp := v.HP
		w.Step(nil)
		if mustPlayer(t, w, victim).HP < hp {
			hits++
		}
	}
	assert.Equal(t, MaxHP/ProjectileDamage, hits)

	v = mustPlayer(t, w, victim)
	assert.Zero(t, v.HP)
	assert.Equal(t, w.ticks.respawn, v.Respawn)
	assert.Equal(t, killer, v.KilledBy)
	assert.Equal(t, 51, v.Score, "the victim keeps half, rounded up")
	assert.Equal(t, KillScore+50, mustPlayer(t, w, killer).Score, "the killer gets the bounty")

	// Dead, it neither moves nor can be hit, though its input says move and
	// the killer fires at the spot for a while (then stops, so that no shot is
	// still in flight where the victim may respawn).
	deadAt := v.Pos
	for i := range w.ticks.respawn - 1 {
		var in []PlayerInput
		if i == w.ticks.respawn/2 {
			in = []PlayerInput{{ID: killer, Input: Input{}}}
		}
		w.Step(in)
		v := mustPlayer(t, w, victim)
		require.False(t, v.Alive())
		require.Equal(t, deadAt, v.Pos)
		require.Zero(t, v.HP)
	}
	require.Empty(t, w.Projectiles())
	w.Step(nil)
	v = mustPlayer(t, w, victim)
	assert.True(t, v.Alive())
	assert.Equal(t, MaxHP, v.HP)
	assert.Equal(t, killer, v.KilledBy, "KilledBy remembers the last killer")
}

func TestDroneContactHurts(t *testing.T) {
	cfg := quietConfig()
	cfg.Drones = 1
	w := NewWorld(cfg)
	id := w.AddPlayer("p")
	seconds := 2
	for range seconds * DefaultTickRate {
		w.drones[0].Pos = mustPlayer(t, w, id).Pos
		w.Step(nil)
	}
	hurt := seconds * int(1/DroneContactPeriod) * DroneContactDamage
	p := mustPlayer(t, w, id)
	assert.Equal(t, MaxHP-hurt, p.HP)
	assert.Equal(t, DroneHP, w.Drones()[0].HP, "contact does not hurt the drone")
}

func TestDroneContactKillLosesBounty(t *testing.T) {
	cfg := quietConfig()
	cfg.Drones = 1
	w := NewWorld(cfg)
	id := w.AddPlayer("p")
	p := mustPlayer(t, w, id)
	p.HP, p.Score = DroneContactDamage, 9
	w.drones[0].Pos = p.Pos
	w.Step(nil)
	p = mustPlayer(t, w, id)
	assert.False(t, p.Alive())
	assert.Equal(t, EntityID(0), p.KilledBy)
	assert.Equal(t, 5, p.Score)
}

func TestPelletPickup(t *testing.T) {
	tests := []struct {
		name   string
		offset float64 // pellet's distance from the player
		dead   bool
		want   int
	}{
		{"touching", PlayerRadius + PelletRadius - 1, false, PelletValue},
		{"centred", 0, false, PelletValue},
		{"just out of reach", PlayerRadius + PelletRadius + 1, false, 0},
		{"dead players pick up nothing", 0, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := quietConfig()
			cfg.Pellets = 1
			w := NewWorld(cfg)
			id := w.AddPlayer("p")
			p := mustPlayer(t, w, id)
			p.Pos = Vec{1000, 1000}
			if tt.dead {
				p.Respawn, p.HP = 10, 0
			}
			old := w.Pellets()[0].ID
			w.pellets[0].Pos = Vec{1000 + tt.offset, 1000}
			w.Step(nil)
			assert.Equal(t, tt.want, mustPlayer(t, w, id).Score)
			require.Len(t, w.Pellets(), 1, "pellets respawn up to the target")
			assert.Equal(t, tt.want != 0, w.Pellets()[0].ID != old)
		})
	}

	t.Run("lowest ID wins a shared pellet", func(t *testing.T) {
		cfg := quietConfig()
		cfg.Pellets = 1
		w := NewWorld(cfg)
		a, b := w.AddPlayer("a"), w.AddPlayer("b")
		mustPlayer(t, w, a).Pos = Vec{1000, 1000}
		mustPlayer(t, w, b).Pos = Vec{1010, 1000}
		w.pellets[0].Pos = Vec{1005, 1000}
		w.Step(nil)
		assert.Equal(t, PelletValue, mustPlayer(t, w, a).Score)
		assert.Zero(t, mustPlayer(t, w, b).Score)
	})
}

func TestFireCooldown(t *testing.T) {
	tests := []struct {
		name     string
		tickRate int
	}{
		{"10 Hz", 10},
		{"30 Hz", 30},
		{"60 Hz", 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWorld(Config{Seed: 1, TickRate: tt.tickRate})
			id := w.AddPlayer("p")
			mustPlayer(t, w, id).Pos = Vec{2000, 2000}
			shots := map[EntityID]bool{}
			seconds := 2
			w.Step([]PlayerInput{{ID: id, Input: fireRight}})
			for range seconds*tt.tickRate - 1 {
				for _, pr := range w.Projectiles() {
					shots[pr.ID] = true
					require.Equal(t, id, pr.Owner)
				}
				w.Step(nil)
			}
			for _, pr := range w.Projectiles() {
				shots[pr.ID] = true
			}
			assert.Len(t, shots, int(float64(seconds)/FireInterval))
			assert.Equal(t, MaxHP, mustPlayer(t, w, id).HP, "own shots do not hurt")
		})
	}
}

func TestProjectileExpires(t *testing.T) {
	w := NewWorld(quietConfig())
	id := w.AddPlayer("p")
	mustPlayer(t, w, id).Pos = Vec{1000, 1000}
	w.Step([]PlayerInput{{ID: id, Input: fireRight}})
	w.Step([]PlayerInput{{ID: id, Input: Input{}}})
	require.Len(t, w.Projectiles(), 1)
	start := w.Projectiles()[0].Pos.X
	// It flies for TTL steps counting the one that fired it: two are done.
	for range w.ticks.projectileTTL - 3 {
		w.Step(nil)
	}
	require.Len(t, w.Projectiles(), 1)
	assert.Equal(t, 1, w.Projectiles()[0].TTL)
	assert.InDelta(t, float64(w.ticks.projectileTTL-3)*ProjectileSpeed/DefaultTickRate, w.Projectiles()[0].Pos.X-start, 1e-6)
	w.Step(nil)
	assert.Empty(t, w.Projectiles())
}

func TestProjectileLeavesWorld(t *testing.T) {
	w := NewWorld(quietConfig())
	id := w.AddPlayer("p")
	mustPlayer(t, w, id).Pos = Vec{3950, 1000}
	w.Step([]PlayerInput{{ID: id, Input: fireRight}})
	w.Step([]PlayerInput{{ID: id, Input: Input{}}})
	w.Step(nil)
	assert.Empty(t, w.Projectiles())
}

func TestSweep(t *testing.T) {
	tests := []struct {
		name  string
		p, d  Vec
		c     Vec
		r     float64
		hit   bool
		wantT float64
	}{
		{"head on", Vec{0, 0}, Vec{100, 0}, Vec{60, 0}, 10, true, 0.5},
		{"grazing", Vec{0, 0}, Vec{100, 0}, Vec{50, 9.99}, 10, true, 0.5 - math.Sqrt(10*10-9.99*9.99)/100},
		{"passes by", Vec{0, 0}, Vec{100, 0}, Vec{50, 11}, 10, false, 0},
		{"falls short", Vec{0, 0}, Vec{100, 0}, Vec{115, 0}, 10, false, 0},
		{"tunnels through at low tick rate", Vec{0, 0}, Vec{300, 0}, Vec{150, 0}, 10, true, 140.0 / 300},
		{"starts inside", Vec{0, 0}, Vec{100, 0}, Vec{3, 0}, 10, true, 0},
		{"moving away", Vec{0, 0}, Vec{-100, 0}, Vec{20, 0}, 10, false, 0},
		{"target behind the start", Vec{0, 0}, Vec{100, 0}, Vec{-30, 0}, 10, false, 0},
		{"not moving", Vec{0, 0}, Vec{}, Vec{30, 0}, 10, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sweep(tt.p, tt.d, tt.c, tt.r)
			require.Equal(t, tt.hit, ok)
			if ok {
				assert.InDelta(t, tt.wantT, got, 1e-9)
			}
		})
	}
}

func TestNoTunnellingAtLowTickRate(t *testing.T) {
	cfg := quietConfig()
	cfg.TickRate = 5 // 180 units a tick, far more than a drone's width
	cfg.Drones = 1
	w := NewWorld(cfg)
	id := w.AddPlayer("p")
	mustPlayer(t, w, id).Pos = Vec{1000, 1000}
	// The shot starts at the shooter's rim and ends its first step 180 further.
	w.drones[0].Pos = Vec{1000 + PlayerRadius + ProjectileRadius + 90, 1000}
	w.Step([]PlayerInput{{ID: id, Input: fireRight}})
	assert.Equal(t, DroneHP-ProjectileDamage, w.Drones()[0].HP)
	assert.Empty(t, w.Projectiles())
}
