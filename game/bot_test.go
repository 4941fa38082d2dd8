package game

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newBotWorld(seed uint64, bots int) *World {
	w := NewWorld(busyConfig(seed))
	for range bots {
		w.AddBot("bot")
	}
	return w
}

func TestBotsAreDeterministic(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{name: "same seed, same game", run: func(t *testing.T) {
			a, b := newBotWorld(11, 6), newBotWorld(11, 6)
			for range 600 {
				a.Step(nil)
				b.Step(nil)
				require.Equal(t, a.Hash(), b.Hash(), "tick %d", a.Tick())
			}
		}},
		{name: "a clone plays on alike", run: func(t *testing.T) {
			w := newBotWorld(12, 6)
			for range 200 {
				w.Step(nil)
			}
			c := w.Clone()
			for range 400 {
				w.Step(nil)
				c.Step(nil)
				require.Equal(t, w.Hash(), c.Hash(), "tick %d", w.Tick())
			}
		}},
		{name: "another seed, another game", run: func(t *testing.T) {
			a, b := newBotWorld(13, 6), newBotWorld(14, 6)
			for range 100 {
				a.Step(nil)
				b.Step(nil)
			}
			assert.NotEqual(t, a.Players()[0].Pos, b.Players()[0].Pos)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

func TestHashCoversBots(t *testing.T) {
	w := newBotWorld(3, 2)
	w.Step(nil)
	base := w.Hash()
	tests := []struct {
		name   string
		mutate func(w *World)
	}{
		{"bot prng", func(w *World) { w.bots[0].rng.next() }},
		{"bot look", func(w *World) { w.bots[1].look++ }},
		{"bot aim error", func(w *World) { w.bots[0].aimErr = math.Nextafter(w.bots[0].aimErr, 1) }},
		{"bot goal", func(w *World) { w.bots[0].goal.X++ }},
		{"one bot fewer", func(w *World) { w.bots = w.bots[1:] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.Clone()
			tt.mutate(c)
			assert.NotEqual(t, base, c.Hash())
		})
	}
}

// TestBotsPlay runs a small arena of bots for a minute: they must score,
// fight and die, as players do.
func TestBotsPlay(t *testing.T) {
	w := newBotWorld(5, 6)
	deaths, shots := 0, 0
	for range 60 * DefaultTickRate {
		w.Step(nil)
		for _, p := range w.Players() {
			if p.Respawn == w.ticks.respawn {
				deaths++
			}
			if p.Cooldown > 0 && p.Input.Buttons&ButtonFire != 0 {
				shots++
			}
		}
	}
	best := 0
	for _, p := range w.Players() {
		best = max(best, p.Best)
	}
	assert.Greater(t, best, LevelScore(2), "some bot levelled up")
	assert.Positive(t, deaths, "bots kill each other")
	assert.Positive(t, shots, "bots fire")
}

// botAndVictim puts a bot and a person standing still d units apart on a
// quiet arena.
func botAndVictim(t *testing.T, d float64) (w *World, bot, victim EntityID) {
	t.Helper()
	w = NewWorld(quietConfig())
	bot, victim = w.AddBot("bot"), w.AddPlayer("victim")
	mustPlayer(t, w, bot).Pos = Vec{1000, 1000}
	w.bots[0].goal = Vec{1000, 1000} // it stands until it first looks, as where it spawned
	mustPlayer(t, w, victim).Pos = Vec{1000 + d, 1000}
	return w, bot, victim
}

func TestBotReactsLate(t *testing.T) {
	w, bot, _ := botAndVictim(t, 300)
	react := secondsToTicks(BotReactionMin, DefaultTickRate) // the quickest bot's
	for range react - 1 {
		w.Step(nil)
		assert.Zero(t, mustPlayer(t, w, bot).Input.Buttons, "tick %d: fired before it could have looked", w.Tick())
	}
	fired := false
	for range secondsToTicks(BotReactionMax*(2-BotSkillMin), DefaultTickRate) + 1 {
		w.Step(nil)
		fired = fired || mustPlayer(t, w, bot).Input.Buttons&ButtonFire != 0
	}
	assert.True(t, fired, "it fires once it has looked")
}

func TestBotAimErrs(t *testing.T) {
	w, bot, victim := botAndVictim(t, 300)
	errs := map[float64]bool{}
	for range 20 * DefaultTickRate {
		v := mustPlayer(t, w, victim)
		v.Pos, v.Vel, v.HP = Vec{1300, 1000}, Vec{}, MaxHP // a sitting duck that never dies
		from := mustPlayer(t, w, bot).Pos                  // where it aims from: it moves after choosing
		w.Step(nil)
		b := mustPlayer(t, w, bot)
		if b.Input.Buttons&ButtonFire != 0 {
			e := b.Input.Aim - math.Atan2(1000-from.Y, 1300-from.X)
			assert.LessOrEqual(t, math.Abs(e), BotAimError/BotSkillMin, "aim error")
			errs[e] = true
		}
	}
	assert.Greater(t, len(errs), 3, "the error changes from look to look")
}

func TestBotFleesWhenLow(t *testing.T) {
	tests := []struct {
		name   string
		hp     int
		closer bool // whether it ends nearer to the enemy than it started
	}{
		{name: "healthy: fights at its distance", hp: MaxHP, closer: true},
		{name: "low: runs", hp: 20, closer: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, bot, victim := botAndVictim(t, 500)
			mustPlayer(t, w, bot).HP = tt.hp
			for range 2 * DefaultTickRate {
				v := mustPlayer(t, w, victim)
				v.Pos, v.HP = Vec{1500, 1000}, MaxHP
				mustPlayer(t, w, bot).HP = tt.hp
				w.Step(nil)
			}
			d := mustPlayer(t, w, victim).Pos.Sub(mustPlayer(t, w, bot).Pos).Len()
			assert.Equal(t, tt.closer, d < 500, "distance %v", d)
		})
	}
}

func TestRemovePlayerForgetsTheBot(t *testing.T) {
	w := newBotWorld(1, 2)
	id := w.Players()[0].ID
	require.True(t, w.IsBot(id))
	require.True(t, w.RemovePlayer(id))
	assert.False(t, w.IsBot(id))
	assert.Len(t, w.bots, 1)
	person := w.AddPlayer("person")
	assert.False(t, w.IsBot(person))
	w.Step(nil) // a bot whose player is gone would be skipped, not crash
}

func TestMoveBits(t *testing.T) {
	tests := []struct {
		name string
		d    Vec
		want uint8
	}{
		{name: "none", d: Vec{}, want: 0},
		{name: "right", d: Vec{1, 0.1}, want: MoveRight},
		{name: "up-left", d: Vec{-1, -1}, want: MoveUp | MoveLeft},
		{name: "down", d: Vec{0.2, 5}, want: MoveDown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, moveBits(tt.d))
		})
	}
}

// TestBotIsBeatable has a bot shoot at a person who weaves up and down: it
// must hit some shots, and miss many.
func TestBotIsBeatable(t *testing.T) {
	w, bot, victim := botAndVictim(t, 350)
	shots, hits := 0, 0
	seen := map[EntityID]bool{}
	for tick := range 30 * DefaultTickRate {
		move := MoveUp
		if tick/20%2 == 1 {
			move = MoveDown
		}
		v := mustPlayer(t, w, victim)
		v.HP = MaxHP
		w.Step([]PlayerInput{{ID: victim, Input: Input{Move: move}}})
		hits += (MaxHP - mustPlayer(t, w, victim).HP) / ProjectileDamage
		for _, pr := range w.Projectiles() {
			if pr.Owner == bot && !seen[pr.ID] {
				seen[pr.ID] = true
				shots++
			}
		}
	}
	require.Greater(t, shots, 50, "it fought")
	rate := float64(hits) / float64(shots)
	assert.Greater(t, rate, 0.1, "it hits a weaving target sometimes (%d of %d)", hits, shots)
	assert.Less(t, rate, 0.75, "it misses a weaving target often (%d of %d)", hits, shots)
	t.Logf("%d of %d shots hit", hits, shots)
}

// BenchmarkStepBots steps the default arena with a room's worth of bots, to
// keep their cost per tick in sight.
func BenchmarkStepBots(b *testing.B) {
	for _, n := range []int{6, 50} {
		b.Run(fmt.Sprintf("bots=%d", n), func(b *testing.B) {
			w := NewWorld(DefaultConfig())
			for range n {
				w.AddBot("bot")
			}
			for range 300 {
				w.Step(nil)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				w.Step(nil)
			}
		})
	}
}

// BenchmarkStepNoBots is BenchmarkStepBots' baseline: the arena alone.
func BenchmarkStepNoBots(b *testing.B) {
	w := NewWorld(DefaultConfig())
	b.ReportAllocs()
	for range b.N {
		w.Step(nil)
	}
}
