package game

import "math"

// Lag compensation. A client draws the other players in the past (it
// interpolates between snapshots it already has), so a shot its player aimed
// at where it saw a target would miss where the target is now. Each input
// says how far back its player saw the others (Input.Rewind, ticks); a shot
// fired on it keeps that (Projectile.Rewind, capped at MaxRewind) and tests
// its path against the players where they were that long before each tick
// it flies, from a short ring of their past positions. Drones are not
// rewound: they are slow and shot at point blank.

// MaxRewind is the most a shot is rewound, in seconds: a shooter whose view
// is older than this gets no more help than this, so a bad connection buys
// no advantage, and a target is never hit further than 250 ms behind where
// it was.
const MaxRewind = 0.25

// rewindSpeed bounds how fast a player moves, in world units per second,
// so the grid query of a rewound shot can widen by how far a target may
// have come since: PlayerSpeed, and the grid snapping of the velocity.
const rewindSpeed = PlayerSpeed + 1

// pastPlayer is a player as the ring keeps it.
type pastPlayer struct {
	id    EntityID
	pos   Vec
	alive bool
}

// rewindRing holds the players (sorted by ID) as they were after moving in
// each of the last few ticks: frames[t%len(frames)] for tick t, the newest
// being the tick being stepped.
type rewindRing struct {
	frames [][]pastPlayer
	newest uint32 // the tick of the newest frame
	held   int    // frames recorded, up to len(frames)
}

func newRewindRing(tickRate int) rewindRing {
	return rewindRing{frames: make([][]pastPlayer, maxRewindTicks(tickRate)+2)}
}

// maxRewindTicks is MaxRewind at tickRate, whole ticks rounded up: the ring
// must reach back to the tick before the cap for the fraction between.
func maxRewindTicks(tickRate int) int { return int(math.Ceil(MaxRewind * float64(tickRate))) }

// recordRewind keeps where every player is now that they have moved in the
// tick being stepped, before any shot of that tick flies.
func (w *World) recordRewind() {
	r := &w.rewind
	r.newest = w.tick + 1
	i := int(r.newest % uint32(len(r.frames)))
	f := r.frames[i][:0]
	for k := range w.players {
		p := &w.players[k]
		f = append(f, pastPlayer{id: p.ID, pos: p.Pos, alive: p.Alive()})
	}
	r.frames[i] = f
	r.held = min(r.held+1, len(r.frames))
}

// shotRewind is the rewind a shot fired on input in gets: the input's, within
// 0 and MaxRewind.
func (w *World) shotRewind(in float64) float64 {
	if !(in > 0) { // NaN too
		return 0
	}
	return math.Min(in, MaxRewind*float64(w.cfg.TickRate))
}

// rewindReach is how much further than its own reach a shot must look for
// targets that were within it back then.
func (w *World) rewindReach(pr *Projectile) float64 {
	return pr.Rewind * w.Dt() * rewindSpeed
}

// pastPos is where player p was pr.Rewind ticks before the tick being
// stepped, between the two recorded ticks around that time, and whether it
// was alive there then. A player with no record that old (it joined since)
// is taken where it is first recorded.
func (w *World) pastPos(p *Player, pr *Projectile) (Vec, bool) {
	r := &w.rewind
	if pr.Rewind <= 0 || r.held == 0 {
		return p.Pos, true
	}
	back := math.Min(pr.Rewind, float64(r.held-1))
	older := math.Ceil(back)
	a, aok := r.find(r.newest-uint32(older), p.ID)
	b, bok := r.find(r.newest-uint32(older)+1, p.ID)
	switch {
	case older == back || !bok:
		return a.pos, aok && a.alive
	case !aok:
		return b.pos, b.alive
	}
	// t runs from a (0) to b (1): older - back ticks after a.
	t := older - back
	return Vec{a.pos.X + (b.pos.X-a.pos.X)*t, a.pos.Y + (b.pos.Y-a.pos.Y)*t}, a.alive && b.alive
}

// find looks id up in the frame of tick.
func (r *rewindRing) find(tick uint32, id EntityID) (pastPlayer, bool) {
	f := r.frames[int(tick%uint32(len(r.frames)))]
	lo, hi := 0, len(f)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if f[m].id < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(f) && f[lo].id == id {
		return f[lo], true
	}
	return pastPlayer{}, false
}

// clone is a deep copy of the ring.
func (r rewindRing) clone() rewindRing {
	c := r
	c.frames = make([][]pastPlayer, len(r.frames))
	for i, f := range r.frames {
		c.frames[i] = append([]pastPlayer(nil), f...)
	}
	return c
}

// hashRewind folds what lag compensation keeps into h: the inputs' and the
// shots' seqs and rewinds, and the ring.
func (w *World) hashRewind(h *hasher) {
	for i := range w.players {
		h.u64(uint64(w.players[i].Input.Seq))
		h.f64(w.players[i].Input.Rewind)
	}
	for i := range w.projectiles {
		h.u64(uint64(w.projectiles[i].Seq))
		h.f64(w.projectiles[i].Rewind)
	}
	r := &w.rewind
	h.u64(uint64(r.newest))
	h.int(r.held)
	for _, f := range r.frames {
		h.int(len(f))
		for _, p := range f {
			h.u64(uint64(p.id))
			h.vec(p.pos)
			if p.alive {
				h.int(1)
			} else {
				h.int(0)
			}
		}
	}
}
