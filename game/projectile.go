package game

import "math"

// stepProjectiles moves every projectile along its path this tick, hitting
// the first living player (not its owner) or drone the path touches, and
// removes those that hit, expire or leave the world.
//
// The test is swept (segment against circle), so no tick rate lets a shot
// pass through a target between two ticks.
func (w *World) stepProjectiles(dt float64) {
	size := w.Size()
	live := w.projectiles[:0]
	for _, pr := range w.projectiles {
		step := pr.Vel.Scale(dt)
		if w.hitFirst(&pr, step) {
			continue
		}
		pr.Pos = pr.Pos.Add(step)
		pr.TTL--
		if pr.TTL > 0 && pr.Pos.X >= 0 && pr.Pos.Y >= 0 && pr.Pos.X <= size.X && pr.Pos.Y <= size.Y {
			live = append(live, pr)
		}
	}
	w.projectiles = live
}

// hitFirst finds what pr's path over step touches first, each target where
// the shooter saw it (rewind.go), and damages it.
func (w *World) hitFirst(pr *Projectile, step Vec) bool {
	reach := ProjectileRadius + max(PlayerRadius, DroneRadius) + w.rewindReach(pr)
	best, hit := math.Inf(1), int32(0)
	for _, ref := range w.nearTargets(pr.Pos, pr.Pos.Add(step), reach) {
		var centre Vec
		var r float64
		if ref >= 0 {
			p := &w.players[ref]
			if p.ID == pr.Owner || !p.Alive() {
				continue
			}
			past, alive := w.pastPos(pastPlayers, p.ID, p.Pos, pr)
			if !alive {
				continue
			}
			centre, r = past, PlayerRadius+ProjectileRadius
		} else {
			d := &w.drones[^ref]
			if d.HP <= 0 {
				continue
			}
			past, alive := w.pastPos(pastDrones, d.ID, d.Pos, pr)
			if !alive {
				continue
			}
			centre, r = past, DroneRadius+ProjectileRadius
		}
		if t, ok := sweep(pr.Pos, step, centre, r); ok && t < best {
			best, hit = t, ref
		}
	}
	switch {
	case math.IsInf(best, 1):
		return false
	case hit >= 0:
		w.damagePlayer(int(hit), w.shotDamage(pr.Owner), pr.Owner)
	default:
		w.damageDrone(int(^hit), w.shotDamage(pr.Owner), pr.Owner)
	}
	return true
}

// sweep returns the first t in [0, 1] at which a point moving from p by d is
// within r of c.
func sweep(p, d, c Vec, r float64) (float64, bool) {
	f := p.Sub(c)
	cc := f.Dot(f) - r*r
	if cc <= 0 {
		return 0, true
	}
	a := d.Dot(d)
	b := f.Dot(d)
	// Solve a t² + 2 b t + cc = 0; starting outside, only an approach (b < 0) can hit.
	disc := b*b - a*cc
	if a == 0 || b >= 0 || disc < 0 {
		return 0, false
	}
	t := (-b - math.Sqrt(disc)) / a
	return t, t <= 1
}
