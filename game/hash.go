package game

import (
	"math"
	"math/bits"
)

// Hash returns a digest of the whole state: config, tick, ID counter, PRNG
// state and every field of every entity (floats by their bits). Two Worlds
// with equal hashes will, with overwhelming likelihood, step identically; a
// determinism test compares them tick by tick.
func (w *World) Hash() uint64 {
	h := hasher{acc: prime5}
	h.u64(w.cfg.Seed)
	h.int(w.cfg.TickRate)
	h.f64(w.cfg.Width)
	h.f64(w.cfg.Height)
	h.int(w.cfg.Drones)
	h.int(w.cfg.Pellets)
	h.u64(uint64(w.tick))
	h.u64(uint64(w.nextID))
	h.u64(w.rng.state)

	h.int(len(w.players))
	for i := range w.players {
		p := &w.players[i]
		h.u64(uint64(p.ID))
		h.str(p.Name)
		h.vec(p.Pos)
		h.vec(p.Vel)
		h.f64(p.Aim)
		h.int(p.HP)
		h.int(p.Score)
		h.int(p.Best)
		h.int(p.Respawn)
		h.u64(uint64(p.KilledBy))
		h.int(p.Cooldown)
		h.u64(uint64(p.Input.Move) | uint64(p.Input.Buttons)<<8)
		h.f64(p.Input.Aim)
	}
	h.int(len(w.bots))
	for i := range w.bots {
		b := &w.bots[i]
		h.u64(uint64(b.ID))
		h.u64(b.rng.state)
		h.f64(b.skill)
		h.int(b.look)
		h.u64(uint64(b.mode))
		h.u64(uint64(b.target))
		h.vec(b.goal)
		h.f64(b.aimErr)
		hold := 0
		if b.hold {
			hold = 1
		}
		h.int(hold)
		h.f64(b.lead)
		h.f64(b.circle)
	}
	h.int(len(w.drones))
	for i := range w.drones {
		d := &w.drones[i]
		h.u64(uint64(d.ID))
		h.vec(d.Pos)
		h.vec(d.Vel)
		h.int(d.HP)
		h.f64(d.Turn)
	}
	h.int(len(w.projectiles))
	for i := range w.projectiles {
		pr := &w.projectiles[i]
		h.u64(uint64(pr.ID))
		h.u64(uint64(pr.Owner))
		h.vec(pr.Pos)
		h.vec(pr.Vel)
		h.int(pr.TTL)
	}
	h.int(len(w.pellets))
	for i := range w.pellets {
		pe := &w.pellets[i]
		h.u64(uint64(pe.ID))
		h.vec(pe.Pos)
		h.int(pe.Value)
	}
	w.hashRewind(&h)
	return h.sum()
}

// hasher folds 64-bit words the way xxHash64 folds its tail: fast, and every
// input bit reaches every output bit after the final avalanche.
type hasher struct{ acc uint64 }

const (
	prime1 uint64 = 11400714785074694791
	prime2 uint64 = 14029467366897019727
	prime3 uint64 = 1609587929392839161
	prime4 uint64 = 9650029242287828579
	prime5 uint64 = 2870177450012600261
)

func (h *hasher) u64(v uint64) {
	v = bits.RotateLeft64(v*prime2, 31) * prime1
	h.acc = bits.RotateLeft64(h.acc^v, 27)*prime1 + prime4
}

func (h *hasher) int(v int)     { h.u64(uint64(v)) }
func (h *hasher) f64(v float64) { h.u64(math.Float64bits(v)) }
func (h *hasher) vec(v Vec)     { h.f64(v.X); h.f64(v.Y) }

func (h *hasher) str(s string) {
	h.int(len(s))
	for len(s) > 0 {
		var v uint64
		n := min(len(s), 8)
		for i := range n {
			v |= uint64(s[i]) << (8 * i)
		}
		h.u64(v)
		s = s[n:]
	}
}

func (h *hasher) sum() uint64 {
	a := h.acc
	a ^= a >> 33
	a *= prime2
	a ^= a >> 29
	a *= prime3
	a ^= a >> 32
	return a
}
