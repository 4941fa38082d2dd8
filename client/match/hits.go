package match

import (
	"math"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// hitSlack is added to the reach of a shot, in world units: quantization,
// and the target's own move during the ticks between two snapshots.
const hitSlack = 12.0

// ownHits appends to dst a Landed event for each of self's shots that hit
// something between prev and cur (both sorted by ID), gap server ticks
// apart at tickRate.
//
// The wire does not say who hit whom, so this infers it the way a player
// would: a shot of self's vanished, and within its reach over the gap a
// drone or another player lost HP (or died, or a drone vanished). Each
// target's HP loss is shared out among the shots that reach it, 20 at a
// time (the damage of self's level, game.ProjectileDamage at level 1), so
// two shots on one drone make two hits. A
// shot that expires next to a target that a drone's touch hurt at the same
// moment counts too; that is rare and harmless for a hit marker.
func ownHits(dst []Event, prev, cur []netcode.Entity, self uint32, gap uint32, tickRate int) []Event {
	if self == 0 || tickRate <= 0 {
		return dst
	}
	dt := float64(max(gap, 1)) / float64(tickRate)
	type target struct {
		before netcode.Entity
		loss   int // HP lost, still to share out
		killed bool
	}
	var targets []target
	for k := range prev {
		p := &prev[k]
		if p.ID == self || (p.Kind != game.KindDrone && p.Kind != game.KindPlayer) || (p.Kind == game.KindPlayer && p.Timer > 0) {
			continue
		}
		c, ok := netcode.FindEntity(cur, p.ID)
		switch {
		case !ok && p.Kind == game.KindDrone:
			targets = append(targets, target{before: *p, loss: int(p.HP), killed: true})
		case ok && cur[c].Kind == game.KindPlayer && cur[c].Timer > 0:
			targets = append(targets, target{before: *p, loss: int(p.HP), killed: true})
		case ok && cur[c].HP < p.HP:
			targets = append(targets, target{before: *p, loss: int(p.HP) - int(cur[c].HP)})
		}
	}
	if len(targets) == 0 {
		return dst
	}
	damage := game.ProjectileDamage
	if i, ok := netcode.FindEntity(prev, self); ok {
		damage = game.StatsFor(int(prev[i].Score)).Damage
	}
	for k := range prev {
		s := &prev[k]
		if s.Kind != game.KindProjectile || s.Owner != self {
			continue
		}
		if _, still := netcode.FindEntity(cur, s.ID); still {
			continue
		}
		from := s.Pos()
		to := from.Add(s.Vel().Scale(dt))
		best, bestD := -1, math.Inf(1)
		for i := range targets {
			t := &targets[i]
			if t.loss <= 0 {
				continue
			}
			r := game.DroneRadius
			if t.before.Kind == game.KindPlayer {
				r = game.PlayerRadius
			}
			d := segmentDistance(t.before.Pos(), from, to)
			if d <= r+game.ProjectileRadius+hitSlack+game.PlayerSpeed*dt && d < bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			continue
		}
		t := &targets[best]
		dmg := min(t.loss, damage)
		t.loss -= dmg
		dst = append(dst, Event{Kind: Landed, Entity: t.before, Pos: t.before.Pos(), Amount: dmg, Killed: t.killed && t.loss <= 0})
	}
	return dst
}

// segmentDistance is the distance from p to the segment a-b.
func segmentDistance(p, a, b game.Vec) float64 {
	ab := b.Sub(a)
	u := 0.0
	if l2 := ab.Dot(ab); l2 > 0 {
		u = math.Max(0, math.Min(1, p.Sub(a).Dot(ab)/l2))
	}
	return p.Sub(a.Add(ab.Scale(u))).Len()
}
