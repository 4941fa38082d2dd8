package netcode

import (
	"math"

	"github.com/skirmish-game/skirmish/game"
)

// CaptureWorld appends every entity of w to dst[:0], quantized and sorted by
// ID, and returns it. It merges the world's four ID-sorted slices, so it costs
// O(n) and, when dst has the capacity, no allocation.
//
// What each kind carries (other fields stay 0, so they cost nothing on the
// wire):
//
//	player:     Kind X Y VX VY Angle(Aim) HP Score Timer(Respawn) Owner(KilledBy) Name
//	drone:      Kind X Y VX VY HP
//	projectile: Kind X Y VX VY Owner Seq
//	pellet:     Kind X Y Score(Value: what picking it up is worth)
func CaptureWorld(dst []Entity, w *game.World) []Entity {
	return captureEntities(dst[:0], w.Players(), w.Drones(), w.Projectiles(), w.Pellets())
}

// captureEntities appends the four ID-sorted slices to dst, merged by ID.
func captureEntities(dst []Entity, ps []game.Player, ds []game.Drone, js []game.Projectile, ls []game.Pellet) []Entity {
	var p, d, j, l int
	for {
		const none = math.MaxUint64
		next, src := uint64(none), -1
		if p < len(ps) && uint64(ps[p].ID) < next {
			next, src = uint64(ps[p].ID), 0
		}
		if d < len(ds) && uint64(ds[d].ID) < next {
			next, src = uint64(ds[d].ID), 1
		}
		if j < len(js) && uint64(js[j].ID) < next {
			next, src = uint64(js[j].ID), 2
		}
		if l < len(ls) && uint64(ls[l].ID) < next {
			src = 3
		}
		switch src {
		case 0:
			dst = append(dst, playerEntity(&ps[p]))
			p++
		case 1:
			dst = append(dst, droneEntity(&ds[d]))
			d++
		case 2:
			dst = append(dst, projectileEntity(&js[j]))
			j++
		case 3:
			dst = append(dst, pelletEntity(&ls[l]))
			l++
		default:
			return dst
		}
	}
}

func playerEntity(p *game.Player) Entity {
	return Entity{
		ID:    uint32(p.ID),
		Kind:  game.KindPlayer,
		X:     QuantizePos(p.Pos.X),
		Y:     QuantizePos(p.Pos.Y),
		VX:    QuantizeVel(p.Vel.X),
		VY:    QuantizeVel(p.Vel.Y),
		Angle: game.QuantizeAngle(p.Aim),
		HP:    clampUint[uint8](p.HP),
		Score: clampUint[uint32](p.Score),
		Timer: clampUint[uint16](p.Respawn),
		Owner: uint32(p.KilledBy),
		Name:  p.Name,
	}
}

func droneEntity(d *game.Drone) Entity {
	return Entity{
		ID:   uint32(d.ID),
		Kind: game.KindDrone,
		X:    QuantizePos(d.Pos.X),
		Y:    QuantizePos(d.Pos.Y),
		VX:   QuantizeVel(d.Vel.X),
		VY:   QuantizeVel(d.Vel.Y),
		HP:   clampUint[uint8](d.HP),
	}
}

func projectileEntity(j *game.Projectile) Entity {
	return Entity{
		ID:    uint32(j.ID),
		Kind:  game.KindProjectile,
		X:     QuantizePos(j.Pos.X),
		Y:     QuantizePos(j.Pos.Y),
		VX:    QuantizeVel(j.Vel.X),
		VY:    QuantizeVel(j.Vel.Y),
		Owner: uint32(j.Owner),
		Seq:   j.Seq,
	}
}

func pelletEntity(l *game.Pellet) Entity {
	return Entity{
		ID:    uint32(l.ID),
		Kind:  game.KindPellet,
		X:     QuantizePos(l.Pos.X),
		Y:     QuantizePos(l.Pos.Y),
		Score: clampUint[uint32](l.Value),
	}
}
