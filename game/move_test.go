package game

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testDt = 1.0 / DefaultTickRate

var testSize = Vec{DefaultWorldSize, DefaultWorldSize}

func moveFor(p *Player, in Input, ticks int) {
	for range ticks {
		MovePlayer(p, in, testDt, testSize)
	}
}

func TestMovePlayerDirections(t *testing.T) {
	tests := []struct {
		name   string
		move   uint8
		dx, dy float64 // expected sign of the displacement
	}{
		{"up", MoveUp, 0, -1},
		{"down", MoveDown, 0, 1},
		{"left", MoveLeft, -1, 0},
		{"right", MoveRight, 1, 0},
		{"up-left", MoveUp | MoveLeft, -1, -1},
		{"up-right", MoveUp | MoveRight, 1, -1},
		{"down-left", MoveDown | MoveLeft, -1, 1},
		{"down-right", MoveDown | MoveRight, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := Vec{2000, 2000}
			p := Player{Pos: start}
			moveFor(&p, Input{Move: tt.move}, DefaultTickRate)
			d := p.Pos.Sub(start)
			assert.Equal(t, tt.dx, sign(d.X), "x displacement %v", d.X)
			assert.Equal(t, tt.dy, sign(d.Y), "y displacement %v", d.Y)
			if tt.dx != 0 && tt.dy != 0 {
				assert.Equal(t, math.Abs(d.X), math.Abs(d.Y), "diagonals are symmetric")
			}
			// After a second the player is at full speed, diagonals included.
			assert.InDelta(t, PlayerSpeed, p.Vel.Len(), 1.0/VelScale)
		})
	}
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func TestMovePlayerOppositesCancel(t *testing.T) {
	tests := []struct {
		name string
		move uint8
		want Vec // direction of travel
	}{
		{"up and down", MoveUp | MoveDown, Vec{}},
		{"left and right", MoveLeft | MoveRight, Vec{}},
		{"all four", MoveMask, Vec{}},
		{"up and down and right", MoveUp | MoveDown | MoveRight, Vec{1, 0}},
		{"left and right and up", MoveLeft | MoveRight | MoveUp, Vec{0, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := Vec{1000, 1000}
			p := Player{Pos: start}
			moveFor(&p, Input{Move: tt.move}, 10)
			d := p.Pos.Sub(start)
			assert.Equal(t, tt.want, Vec{sign(d.X), sign(d.Y)})
		})
	}
}

func TestMovePlayerStopsWithoutInput(t *testing.T) {
	p := Player{Pos: Vec{1000, 1000}}
	moveFor(&p, Input{Move: MoveRight | MoveDown}, DefaultTickRate)
	require.NotEqual(t, Vec{}, p.Vel)
	moveFor(&p, Input{}, DefaultTickRate/2) // friction stops full speed in 1/4 s
	assert.Equal(t, Vec{}, p.Vel)
	at := p.Pos
	moveFor(&p, Input{}, 5)
	assert.Equal(t, at, p.Pos)
}

func TestMovePlayerClampsAtBorders(t *testing.T) {
	lo, hi := PlayerRadius, DefaultWorldSize-PlayerRadius
	tests := []struct {
		name  string
		start Vec
		move  uint8
		want  Vec
	}{
		{"left", Vec{100, 2000}, MoveLeft, Vec{lo, 2000}},
		{"right", Vec{3900, 2000}, MoveRight, Vec{hi, 2000}},
		{"top", Vec{2000, 100}, MoveUp, Vec{2000, lo}},
		{"bottom", Vec{2000, 3900}, MoveDown, Vec{2000, hi}},
		{"top-left corner", Vec{100, 100}, MoveUp | MoveLeft, Vec{lo, lo}},
		{"bottom-right corner", Vec{3900, 3900}, MoveDown | MoveRight, Vec{hi, hi}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Player{Pos: tt.start}
			moveFor(&p, Input{Move: tt.move}, 2*DefaultTickRate)
			assert.Equal(t, tt.want, p.Pos)
			assert.Equal(t, Vec{}, p.Vel, "no velocity into the wall")
		})
	}

	t.Run("slides along a wall", func(t *testing.T) {
		p := Player{Pos: Vec{lo, 2000}}
		moveFor(&p, Input{Move: MoveLeft | MoveDown}, 10)
		assert.Equal(t, lo, p.Pos.X)
		assert.Greater(t, p.Pos.Y, 2000.0)
	})

	t.Run("off-grid world size stays on the grid", func(t *testing.T) {
		size := Vec{1000.3, 777.77}
		p := Player{Pos: Vec{500, 400}}
		for range 3 * DefaultTickRate {
			MovePlayer(&p, Input{Move: MoveRight | MoveDown}, testDt, size)
		}
		assert.True(t, onPosGrid(p.Pos.X) && onPosGrid(p.Pos.Y), "%v", p.Pos)
		assert.LessOrEqual(t, p.Pos.X, size.X-PlayerRadius)
		assert.LessOrEqual(t, p.Pos.Y, size.Y-PlayerRadius)
	})
}

func TestMovePlayerStaysOnGrid(t *testing.T) {
	tests := []struct {
		name string
		dt   float64
	}{
		{"30 Hz", 1.0 / 30},
		{"60 Hz", 1.0 / 60},
		{"128 Hz", 1.0 / 128},
		{"10 Hz", 1.0 / 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Player{Pos: Vec{2000, 2000}}
			lo, hi := playerBounds(testSize)
			for i := range uint64(2000) {
				r := mix(i)
				MovePlayer(&p, Input{Move: uint8(r) & MoveMask, Aim: float64(int64(r>>1)) * 1e-15}, tt.dt, testSize)
				require.True(t, onPosGrid(p.Pos.X) && onPosGrid(p.Pos.Y), "tick %d pos %v", i, p.Pos)
				require.True(t, onVelGrid(p.Vel.X) && onVelGrid(p.Vel.Y), "tick %d vel %v", i, p.Vel)
				require.Equal(t, AngleFromQuantized(QuantizeAngle(p.Aim)), p.Aim, "tick %d", i)
				require.True(t, p.Pos.X >= lo.X && p.Pos.X <= hi.X && p.Pos.Y >= lo.Y && p.Pos.Y <= hi.Y, "tick %d pos %v", i, p.Pos)
				require.LessOrEqual(t, p.Vel.Len(), PlayerSpeed+1.0/VelScale)
			}
		})
	}
}

func TestMovePlayerDeadDoesNotMove(t *testing.T) {
	p := Player{Pos: Vec{1000, 1000}, Vel: Vec{100, 0}, Respawn: 5}
	moveFor(&p, Input{Move: MoveRight, Aim: math.Pi}, 10)
	assert.Equal(t, Vec{1000, 1000}, p.Pos)
	assert.Equal(t, math.Pi, p.Aim, "a dead player still turns")
}

func TestMovePlayerSetsAim(t *testing.T) {
	p := Player{Pos: Vec{1000, 1000}}
	MovePlayer(&p, Input{Aim: -math.Pi / 2}, testDt, testSize)
	assert.Equal(t, AngleFromQuantized(AngleSteps*3/4), p.Aim)
}

func TestQuantizeAngle(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want uint16
	}{
		{"zero", 0, 0},
		{"quarter", math.Pi / 2, AngleSteps / 4},
		{"half", math.Pi, AngleSteps / 2},
		{"minus quarter", -math.Pi / 2, AngleSteps * 3 / 4},
		{"full turn", 2 * math.Pi, 0},
		{"minus full turn", -2 * math.Pi, 0},
		{"two turns and a quarter", 4*math.Pi + math.Pi/2, AngleSteps / 4},
		{"just below a turn rounds up to zero", 2*math.Pi - 1e-9, 0},
		{"tiny negative", -1e-300, 0},
		{"one step", 2 * math.Pi / AngleSteps, 1},
		{"NaN", math.NaN(), 0},
		{"+Inf", math.Inf(1), 0},
		{"-Inf", math.Inf(-1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, QuantizeAngle(tt.in))
		})
	}

	t.Run("round trip every step", func(t *testing.T) {
		for q := range AngleSteps {
			a := AngleFromQuantized(uint16(q))
			require.True(t, a >= 0 && a < 2*math.Pi)
			require.Equal(t, uint16(q), QuantizeAngle(a))
		}
	})
}

func FuzzMovePlayer(f *testing.F) {
	f.Add(2000.0, 2000.0, 0.0, 0.0, uint8(MoveUp), 1.0, uint16(1))
	f.Add(20.0, 20.0, -300.0, -300.0, uint8(MoveUp|MoveLeft), -7.0, uint16(60))
	f.Add(3980.0, 10.0, 300.0, 0.0, uint8(MoveMask), math.Inf(1), uint16(3))
	f.Fuzz(func(t *testing.T, x, y, vx, vy float64, move uint8, aim float64, ticks uint16) {
		for _, v := range []float64{x, y, vx, vy} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Skip()
			}
		}
		// Start from a state the wire could carry.
		lo, hi := playerBounds(testSize)
		p := Player{
			Pos: Vec{snapPos(clamp(x, lo.X, hi.X)), snapPos(clamp(y, lo.Y, hi.Y))},
			Vel: Vec{snapVel(clamp(vx, -PlayerSpeed, PlayerSpeed)), snapVel(clamp(vy, -PlayerSpeed, PlayerSpeed))},
		}
		q := p
		in := Input{Move: move & MoveMask, Aim: aim}
		for range ticks % 512 {
			MovePlayer(&p, in, testDt, testSize)
			MovePlayer(&q, in, testDt, testSize)
		}
		require.Equal(t, p, q, "same input, same result")
		require.True(t, onPosGrid(p.Pos.X) && onPosGrid(p.Pos.Y), "pos %v", p.Pos)
		require.True(t, onVelGrid(p.Vel.X) && onVelGrid(p.Vel.Y), "vel %v", p.Vel)
		require.True(t, p.Pos.X >= lo.X && p.Pos.X <= hi.X && p.Pos.Y >= lo.Y && p.Pos.Y <= hi.Y, "pos %v", p.Pos)
		require.False(t, math.IsNaN(p.Aim))
	})
}
