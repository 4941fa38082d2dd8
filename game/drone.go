package game

import "math"

func (w *World) spawnDrone() Drone {
	size := w.Size()
	return Drone{
		ID:  w.newID(),
		Pos: Vec{w.rng.between(DroneRadius, size.X-DroneRadius), w.rng.between(DroneRadius, size.Y-DroneRadius)},
		Vel: FromAngle(w.rng.between(0, 2*math.Pi)).Scale(DroneSpeed),
		HP:  DroneHP,
	}
}

// replaceDeadDrones drops destroyed drones and tops the count back up to
// cfg.Drones with new ones (new IDs are the largest, so order holds).
func (w *World) replaceDeadDrones() {
	live := w.drones[:0]
	for _, d := range w.drones {
		if d.HP > 0 {
			live = append(live, d)
		}
	}
	w.drones = live
	for len(w.drones) < w.cfg.Drones {
		w.drones = append(w.drones, w.spawnDrone())
	}
}

// stepDrones steers each drone by a turn rate that wanders randomly (so paths
// curve instead of jittering), moves it at constant speed and bounces it off
// the border.
func (w *World) stepDrones(dt float64) {
	size := w.Size()
	for i := range w.drones {
		d := &w.drones[i]
		d.Turn += (w.rng.float()*2-1)*DroneTurnJitter*dt - d.Turn*DroneTurnDamping*dt
		d.Turn = clamp(d.Turn, -DroneMaxTurn, DroneMaxTurn)
		s, c := math.Sincos(d.Turn * dt)
		v := Vec{d.Vel.X*c - d.Vel.Y*s, d.Vel.X*s + d.Vel.Y*c}
		// Renormalising keeps rounding from creeping into the speed over hours.
		if n := v.Len(); n > 0 {
			v = v.Scale(DroneSpeed / n)
		} else {
			v = Vec{DroneSpeed, 0}
		}
		d.Pos = d.Pos.Add(v.Scale(dt))
		d.Pos.X, v.X = bounce(d.Pos.X, v.X, DroneRadius, size.X-DroneRadius)
		d.Pos.Y, v.Y = bounce(d.Pos.Y, v.Y, DroneRadius, size.Y-DroneRadius)
		d.Vel = v
	}
}

// bounce reflects a coordinate that left [lo, hi] back inside, turning its
// velocity component inwards.
func bounce(x, v, lo, hi float64) (float64, float64) {
	switch {
	case x < lo:
		return min(2*lo-x, hi), math.Abs(v)
	case x > hi:
		return max(2*hi-x, lo), -math.Abs(v)
	}
	return x, v
}

// damageDrone hurts drones[i]; the shooter scores if it destroys it, and the
// wreck drops pellets. Destroyed drones stay (HP 0) until replaceDeadDrones.
func (w *World) damageDrone(i, damage int, by EntityID) {
	d := &w.drones[i]
	d.HP -= damage
	if d.HP > 0 {
		return
	}
	d.HP = 0
	w.award(by, DroneKillScore)
	w.dropPellets(d.Pos)
}

// droneContact hurts every living player that touches a drone, once per
// drone it touches. Drones are not pushed and do not push: no physics between
// them, so a player's own movement stays exactly predictable.
func (w *World) droneContact() {
	const reach = DroneRadius + PlayerRadius
	for j := range w.drones {
		d := &w.drones[j]
		if d.HP <= 0 {
			continue
		}
		for _, ref := range w.nearTargets(d.Pos, d.Pos, reach) {
			if ref < 0 {
				continue
			}
			p := &w.players[ref]
			if p.Alive() && within(p.Pos, d.Pos, reach) {
				w.damagePlayer(int(ref), DroneContactDamage, 0)
			}
		}
	}
}

// within reports whether a and b are closer than r.
func within(a, b Vec, r float64) bool {
	d := a.Sub(b)
	return d.Dot(d) < r*r
}
