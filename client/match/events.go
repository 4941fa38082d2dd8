package match

import (
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// EventKind says what happened between two snapshots.
type EventKind uint8

// What the client shows effects for.
const (
	// Gone: an entity left the view, destroyed or out of range (the wire does
	// not say which; the caller judges by where it was).
	Gone EventKind = iota + 1
	// Died: a player's respawn timer started.
	Died
	// Hurt: a player's HP dropped.
	Hurt
	// Fired: a projectile appeared, Entity.Owner's shot (0: a drone's).
	Fired
	// Landed: one of the own player's shots hit Entity (see ownHits).
	Landed
)

// Event is one change between consecutive snapshots.
type Event struct {
	Kind   EventKind
	Entity netcode.Entity // as it was before the change (Died, Hurt: after)
	Pos    game.Vec
	Amount int  // Hurt: HP lost; Landed: damage done
	Killed bool // Landed: the hit destroyed the target
}

// diffEvents appends to dst the events between prev and cur (both sorted by
// ID) and returns it.
func diffEvents(dst []Event, prev, cur []netcode.Entity) []Event {
	i := 0
	for k := range cur {
		c := &cur[k]
		for i < len(prev) && prev[i].ID < c.ID {
			dst = append(dst, Event{Kind: Gone, Entity: prev[i], Pos: prev[i].Pos()})
			i++
		}
		if i == len(prev) || prev[i].ID != c.ID {
			if c.Kind == game.KindProjectile {
				dst = append(dst, Event{Kind: Fired, Entity: *c, Pos: c.Pos()})
			}
			continue
		}
		p := &prev[i]
		i++
		if c.Kind != game.KindPlayer {
			continue
		}
		switch {
		case p.Timer == 0 && c.Timer > 0:
			dst = append(dst, Event{Kind: Died, Entity: *c, Pos: p.Pos()})
		case c.HP < p.HP && c.Timer == 0:
			dst = append(dst, Event{Kind: Hurt, Entity: *c, Pos: c.Pos(), Amount: int(p.HP) - int(c.HP)})
		}
	}
	for ; i < len(prev); i++ {
		dst = append(dst, Event{Kind: Gone, Entity: prev[i], Pos: prev[i].Pos()})
	}
	return dst
}
