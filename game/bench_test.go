package game

import (
	"math"
	"testing"
)

// benchWorld is the default arena with n players, warmed up until projectiles,
// deaths and respawns are in their steady state.
func benchWorld(b *testing.B, n int) (*World, [][]PlayerInput) {
	b.Helper()
	w := NewWorld(DefaultConfig())
	for range n {
		w.AddPlayer("bot")
	}
	// Every player moves at random and holds fire: the worst case for shots.
	frames := make([][]PlayerInput, 64)
	for f := range frames {
		frames[f] = make([]PlayerInput, 0, n)
		for _, p := range w.Players() {
			r := mix(uint64(p.ID)<<32 | uint64(f))
			frames[f] = append(frames[f], PlayerInput{ID: p.ID, Input: Input{
				Move:    uint8(r) & MoveMask,
				Aim:     float64(r>>16&0xffff) / 0x10000 * 2 * math.Pi,
				Buttons: ButtonFire,
			}})
		}
	}
	for i := range 3 * DefaultTickRate {
		w.Step(frames[i%len(frames)])
	}
	return w, frames
}

func BenchmarkStep(b *testing.B) {
	w, frames := benchWorld(b, 1000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w.Step(frames[i%len(frames)])
		i++
	}
	alive := 0
	for i := range w.Players() {
		if w.Players()[i].Alive() {
			alive++
		}
	}
	b.ReportMetric(float64(len(w.Projectiles())), "projectiles")
	b.ReportMetric(float64(alive), "alive")
}

func BenchmarkHash(b *testing.B) {
	w, _ := benchWorld(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		w.Hash()
	}
}

func BenchmarkClone(b *testing.B) {
	w, _ := benchWorld(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		w.Clone()
	}
}

func BenchmarkMovePlayer(b *testing.B) {
	p := Player{Pos: Vec{2000, 2000}}
	size := Vec{DefaultWorldSize, DefaultWorldSize}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		MovePlayer(&p, Input{Move: uint8(i>>5) & MoveMask, Aim: float64(i&1023) * 0.01}, 1.0/DefaultTickRate, size)
		i++
	}
}
