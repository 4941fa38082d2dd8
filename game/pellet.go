package game

import "math"

func (w *World) newPellet(pos Vec, value int) Pellet {
	return Pellet{ID: w.newID(), Pos: pos, Value: value}
}

// refillPellets scatters new pellets until there are cfg.Pellets.
func (w *World) refillPellets() {
	size := w.Size()
	for len(w.pellets) < w.cfg.Pellets {
		pos := Vec{w.rng.between(PelletRadius, size.X-PelletRadius), w.rng.between(PelletRadius, size.Y-PelletRadius)}
		w.pellets = append(w.pellets, w.newPellet(pos, PelletValue))
	}
}

// dropPellets scatters a destroyed drone's pellets around at. They count on
// top of cfg.Pellets, up to a cap so an arena nobody sweeps does not fill up.
func (w *World) dropPellets(at Vec) {
	limit := w.cfg.Pellets + w.cfg.Drones*DronePellets
	size := w.Size()
	for range DronePellets {
		if len(w.pellets) >= limit {
			return
		}
		off := FromAngle(w.rng.between(0, 2*math.Pi)).Scale(w.rng.between(0, DropScatter))
		pos := at.Add(off)
		pos.X = clamp(pos.X, PelletRadius, size.X-PelletRadius)
		pos.Y = clamp(pos.Y, PelletRadius, size.Y-PelletRadius)
		w.pellets = append(w.pellets, w.newPellet(pos, DropPelletValue))
	}
}

// collectPellets gives each pellet a living player touches to the one with
// the lowest ID among them, and removes it.
func (w *World) collectPellets() {
	const reach = PlayerRadius + PelletRadius
	live := w.pellets[:0]
	for _, pe := range w.pellets {
		taker := int32(-1)
		for _, ref := range w.nearTargets(pe.Pos, pe.Pos, reach) {
			if ref >= 0 && (taker < 0 || ref < taker) && w.players[ref].Alive() && within(w.players[ref].Pos, pe.Pos, reach) {
				taker = ref
			}
		}
		if taker >= 0 {
			w.gain(int(taker), pe.Value)
			continue
		}
		live = append(live, pe)
	}
	w.pellets = live
}
