package game

import "math"

// Lag compensation. A client draws the other players and the drones in the
// past (it interpolates between snapshots it already has), so a shot its
// player aimed at where it saw a target would miss where the target is now.
// Each input says how far back its player saw the others (Input.Rewind,
// ticks); a shot fired on it keeps that (Projectile.Rewind, capped at
// MaxRewind) and tests its path against the players and the drones where
// they were that long before each tick it flies, from a short ring of their
// past positions. Drones are rewound too: at 80 units/s one moves 20 units
// in 250 ms, most of its own radius, so a shot the shooter saw graze one
// would otherwise miss it on the server.

// MaxRewind is the most a shot is rewound, in seconds: a shooter whose view
// is older than this gets no more help than this, so a bad connection buys
// no advantage, and a target is never hit further than 250 ms behind where
// it was.
const MaxRewind = 0.25

// rewindSpeed bounds how fast any target moves, in world units per second,
// so the grid query of a rewound shot can widen by how far a target may
// have come since: a player's top speed at its fastest level (one speed
// rank, progression.go; a test holds this to StatsAt), above DroneSpeed,
// and the grid snapping of the velocity.
const rewindSpeed = PlayerSpeed + SpeedPerRank + 1

// pastEntity is a target as the ring keeps it.
type pastEntity struct {
	id    EntityID
	pos   Vec
	alive bool
}

// The kinds of target the ring keeps, an index into rewindFrame.
const (
	pastPlayers = iota
	pastDrones
	pastKinds
)

// rewindFrame is one tick's targets, each kind sorted by ID.
type rewindFrame [pastKinds][]pastEntity

// rewindRing holds the players and drones as they were after moving in each
// of the last few ticks: frames[t%len(frames)] for tick t, the newest being
// the tick being stepped.
type rewindRing struct {
	frames []rewindFrame
	newest uint32 // the tick of the newest frame
	held   int    // frames recorded, up to len(frames)
}

func newRewindRing(tickRate int) rewindRing {
	return rewindRing{frames: make([]rewindFrame, maxRewindTicks(tickRate)+2)}
}

// maxRewindTicks is MaxRewind at tickRate, whole ticks rounded up: the ring
// must reach back to the tick before the cap for the fraction between.
func maxRewindTicks(tickRate int) int { return int(math.Ceil(MaxRewind * float64(tickRate))) }

// recordRewind keeps where every player and drone is now that they have
// moved in the tick being stepped, before any shot of that tick flies.
func (w *World) recordRewind() {
	r := &w.rewind
	r.newest = w.tick + 1
	f := &r.frames[int(r.newest%uint32(len(r.frames)))]
	players := f[pastPlayers][:0]
	for k := range w.players {
		p := &w.players[k]
		players = append(players, pastEntity{id: p.ID, pos: p.Pos, alive: p.Alive()})
	}
	drones := f[pastDrones][:0]
	for k := range w.drones {
		d := &w.drones[k]
		drones = append(drones, pastEntity{id: d.ID, pos: d.Pos, alive: d.HP > 0})
	}
	f[pastPlayers], f[pastDrones] = players, drones
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

// pastPos is where the target id of the given kind, now at pos, was
// pr.Rewind ticks before the tick being stepped, between the two recorded
// ticks around that time, and whether it was alive there then. A target
// in only one of the two is taken where that one has it; one in neither (it
// joined or spawned since) was not there for the shooter to see, and is not
// hit.
func (w *World) pastPos(kind int, id EntityID, pos Vec, pr *Projectile) (Vec, bool) {
	r := &w.rewind
	if pr.Rewind <= 0 || r.held == 0 {
		return pos, true
	}
	back := math.Min(pr.Rewind, float64(r.held-1))
	older := math.Ceil(back)
	a, aok := r.find(r.newest-uint32(older), kind, id)
	b, bok := r.find(r.newest-uint32(older)+1, kind, id)
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

// find looks id up among the targets of kind in the frame of tick.
func (r *rewindRing) find(tick uint32, kind int, id EntityID) (pastEntity, bool) {
	f := r.frames[int(tick%uint32(len(r.frames)))][kind]
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
	return pastEntity{}, false
}

// clone is a deep copy of the ring.
func (r rewindRing) clone() rewindRing {
	c := r
	c.frames = make([]rewindFrame, len(r.frames))
	for i := range r.frames {
		for k := range r.frames[i] {
			c.frames[i][k] = append([]pastEntity(nil), r.frames[i][k]...)
		}
	}
	return c
}

// hashRewind folds what lag compensation keeps into h: the inputs' and the
// shots' seqs and rewinds, and the ring of players and drones.
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
	for i := range r.frames {
		for _, f := range r.frames[i] {
			h.int(len(f))
			for _, e := range f {
				h.u64(uint64(e.id))
				h.vec(e.pos)
				if e.alive {
					h.int(1)
				} else {
					h.int(0)
				}
			}
		}
	}
}
