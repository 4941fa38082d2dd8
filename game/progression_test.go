package game

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLevelFor(t *testing.T) {
	tests := []struct {
		name  string
		score int
		want  int
	}{
		{name: "nothing", score: 0, want: 1},
		{name: "negative", score: -5, want: 1},
		{name: "one short of level 2", score: 199, want: 1},
		{name: "level 2", score: 200, want: 2},
		{name: "level 5", score: 1400, want: 5},
		{name: "just under level 6", score: 1999, want: 5},
		{name: "level 10", score: 5400, want: MaxLevel},
		{name: "far past the top", score: 1 << 30, want: MaxLevel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, LevelFor(tt.score))
		})
	}
}

func TestEveryLevelRaisesOneStat(t *testing.T) {
	for level := 2; level <= MaxLevel; level++ {
		assert.NotEqual(t, StatNone, LevelStat(level), "level %d", level)
		assert.Greater(t, LevelScore(level), LevelScore(level-1), "level %d needs more than %d", level, level-1)
		prev, cur := StatsAt(level-1), StatsAt(level)
		changed := 0
		for _, c := range []bool{
			cur.FireInterval != prev.FireInterval, cur.Speed != prev.Speed, cur.MaxHP != prev.MaxHP,
			cur.Regen != prev.Regen, cur.Damage != prev.Damage, cur.ShotSpeed != prev.ShotSpeed,
		} {
			if c {
				changed++
			}
		}
		assert.Equal(t, 1, changed, "level %d (%s) changes one stat", level, LevelStat(level))
	}
	assert.Equal(t, StatNone, LevelStat(1))
	assert.Equal(t, StatNone, LevelStat(MaxLevel+1))
}

func TestStatsFitTheWire(t *testing.T) {
	top := StatsAt(MaxLevel)
	assert.LessOrEqual(t, top.MaxHP, 255, "HP is a uint8 on the wire")
	assert.Less(t, top.ShotSpeed, 2048.0, "velocities are int16 sixteenths")
	assert.Less(t, top.ShotSpeed/DefaultTickRate+PlayerRadius+DroneRadius, 2*cellSize, "a shot's sweep stays within the grid's neighbourhood")
	assert.Equal(t, StatsAt(1), StatsAt(0), "levels clamp")
}

// duel counts the ticks a shooter at score a needs to kill a sitting
// player at score b that respawned at that score.
func duel(t *testing.T, a, b int) int {
	t.Helper()
	w := NewWorld(quietConfig())
	shooter, target := w.AddPlayer("a"), w.AddPlayer("b")
	s := mustPlayer(t, w, shooter)
	s.Pos, s.Score = Vec{1000, 1000}, a
	v := mustPlayer(t, w, target)
	v.Score = b
	v.HP = StatsFor(b).MaxHP
	for ticks := 0; ; ticks++ {
		require.Less(t, ticks, 10*DefaultTickRate, "target still alive")
		v := mustPlayer(t, w, target)
		if !v.Alive() {
			return ticks
		}
		v.Pos, v.Vel = Vec{1150, 1000}, Vec{}
		w.Step([]PlayerInput{{ID: shooter, Input: fireRight}})
	}
}

// TestLevelFiveIsStrongerButBeatable holds the balance the tuning aims at:
// a level-5 player wins a straight duel against a fresh one, but by less
// than two to one, so two fresh players together beat it.
func TestLevelFiveIsStrongerButBeatable(t *testing.T) {
	five := LevelScore(5)
	strong, weak := duel(t, five, 0), duel(t, 0, five)
	even := duel(t, 0, 0)
	assert.Less(t, strong, even, "level 5 kills faster than level 1 does")
	assert.Greater(t, weak, even, "level 5 takes longer to kill")
	assert.Less(t, weak, 2*strong, "two level-1 players kill it before it kills one of them")
}

func TestGainHealsOnMaxHPAndKeepsBest(t *testing.T) {
	w := NewWorld(quietConfig())
	id := w.AddPlayer("p")
	p := mustPlayer(t, w, id)
	p.Score = LevelScore(4) - 1
	p.HP = 50
	w.gain(0, 1)
	assert.Equal(t, 4, p.Level())
	assert.Equal(t, 50+MaxHPPerRank, p.HP, "reaching a max HP level heals by the raise")
	assert.Equal(t, LevelScore(4), p.Best)

	w.damagePlayer(0, p.HP, 0)
	assert.Less(t, p.Score, LevelScore(4), "death halves the score and so the level")
	assert.Equal(t, LevelScore(4), p.Best, "the best stays")
}

func TestRegenerate(t *testing.T) {
	tests := []struct {
		name  string
		score int
		hp    int
		want  int
	}{
		{name: "no regen below level 5", score: LevelScore(4), hp: 50, want: 50},
		{name: "level 5 heals", score: LevelScore(5), hp: 50, want: 50 + RegenPerRank},
		{name: "never past max", score: LevelScore(5), hp: StatsAt(5).MaxHP, want: StatsAt(5).MaxHP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWorld(quietConfig())
			p := mustPlayer(t, w, w.AddPlayer("p"))
			p.Score, p.HP = tt.score, tt.hp
			period := secondsToTicks(RegenPeriod, DefaultTickRate)
			for range period {
				w.Step(nil)
			}
			assert.Equal(t, tt.want, mustPlayer(t, w, p.ID).HP)
		})
	}
}

func TestSpeedLevelRaisesTopSpeed(t *testing.T) {
	tests := []struct {
		name  string
		score int
		want  float64
	}{
		{name: "level 1", score: 0, want: PlayerSpeed},
		{name: "level 3", score: LevelScore(3), want: PlayerSpeed + SpeedPerRank},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Player{Pos: Vec{2000, 2000}, Score: tt.score}
			for range DefaultTickRate {
				MovePlayer(&p, Input{Move: MoveRight}, 1.0/DefaultTickRate, Vec{4000, 4000})
			}
			assert.Equal(t, tt.want, p.Vel.X)
		})
	}
}
