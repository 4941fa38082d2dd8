package game

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// mix is splitmix64's finalizer, used to script inputs without a PRNG's state.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// scriptedInputs appends a pseudo-random input for roughly three players in
// four at this tick; the rest keep their last input.
func scriptedInputs(dst []PlayerInput, players []Player, tick uint32) []PlayerInput {
	dst = dst[:0]
	for i := range players {
		r := mix(uint64(players[i].ID)<<32 | uint64(tick))
		if r&3 == 0 {
			continue
		}
		dst = append(dst, PlayerInput{ID: players[i].ID, Input: Input{
			Move:    uint8(r>>8) & MoveMask,
			Aim:     float64(r>>16&0xffff) / 0x10000 * 4 * math.Pi, // beyond one turn on purpose
			Buttons: uint8(r>>40) & ButtonFire,
		}})
	}
	return dst
}

// mustPlayer returns the player with that ID, failing the test if it is gone.
func mustPlayer(t testing.TB, w *World, id EntityID) *Player {
	t.Helper()
	p, ok := w.Player(id)
	require.True(t, ok, "player %d", id)
	return p
}

// quietConfig is an arena with nothing in it but what a test adds.
func quietConfig() Config { return Config{Seed: 7} }

func onPosGrid(x float64) bool { return x*PosScale == math.Trunc(x*PosScale) }
func onVelGrid(x float64) bool { return x*VelScale == math.Trunc(x*VelScale) }
