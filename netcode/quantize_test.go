package netcode

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
)

func TestQuantizePos(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   float64
		want uint16
	}{
		{"zero", 0, 0},
		{"one grid step", 1.0 / game.PosScale, 1},
		{"rounds to nearest", 10.04, 161},
		{"world edge", game.DefaultWorldSize, 64000},
		{"largest", 65535.0 / game.PosScale, math.MaxUint16},
		{"clamped above", 1e9, math.MaxUint16},
		{"clamped below", -3, 0},
		{"+Inf", math.Inf(1), math.MaxUint16},
		{"-Inf", math.Inf(-1), 0},
		{"NaN", math.NaN(), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, QuantizePos(tc.in))
		})
	}
	t.Run("grid values round-trip exactly", func(t *testing.T) {
		for q := range 1 << 16 {
			assert.Equal(t, uint16(q), QuantizePos(DequantizePos(uint16(q))))
		}
	})
}

func TestQuantizeVel(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   float64
		want int16
	}{
		{"zero", 0, 0},
		{"one grid step", 1.0 / game.VelScale, 1},
		{"negative", -250.5, -4008},
		{"clamped above", 1e6, math.MaxInt16},
		{"clamped below", -1e6, math.MinInt16},
		{"+Inf", math.Inf(1), math.MaxInt16},
		{"NaN", math.NaN(), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, QuantizeVel(tc.in))
		})
	}
	t.Run("grid values round-trip exactly", func(t *testing.T) {
		for q := math.MinInt16; q <= math.MaxInt16; q++ {
			assert.Equal(t, int16(q), QuantizeVel(DequantizeVel(int16(q))))
		}
	})
}

func TestEntityToPlayer(t *testing.T) {
	e := Entity{ID: 7, Kind: game.KindPlayer, X: 160, Y: 32, VX: -16, VY: 8, Angle: 16384, HP: 80, Score: 12, Timer: 45, Owner: 3, Name: "ann"}
	assert.Equal(t, game.Vec{X: 10, Y: 2}, e.Pos())
	assert.Equal(t, game.Vec{X: -1, Y: 0.5}, e.Vel())
	assert.Equal(t, game.Player{
		ID: 7, Name: "ann", Pos: game.Vec{X: 10, Y: 2}, Vel: game.Vec{X: -1, Y: 0.5},
		Aim: game.AngleFromQuantized(16384), HP: 80, Score: 12, Respawn: 45, KilledBy: 3,
	}, PlayerFromEntity(e))
}

func TestClampUint(t *testing.T) {
	assert.Equal(t, uint8(0), clampUint[uint8](-5))
	assert.Equal(t, uint8(200), clampUint[uint8](200))
	assert.Equal(t, uint8(255), clampUint[uint8](1000))
	assert.Equal(t, uint16(65535), clampUint[uint16](1<<20))
	assert.Equal(t, uint32(math.MaxUint32), clampUint[uint32](math.MaxInt64))
}
