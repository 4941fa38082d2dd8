package engine

import (
	"math"
	"slices"
	"sync"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// frameLog keeps the world at every snapshot tick, per room: the truth.
type frameLog struct {
	mu     sync.Mutex
	frames map[string]map[uint32][]netcode.Entity
}

func newFrameLog() *frameLog { return &frameLog{frames: make(map[string]map[uint32][]netcode.Entity)} }

func (l *frameLog) record(room string, tick uint32, world []netcode.Entity) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.frames[room] == nil {
		l.frames[room] = make(map[uint32][]netcode.Entity)
	}
	l.frames[room][tick] = append([]netcode.Entity(nil), world...)
}

func (l *frameLog) get(room string, tick uint32) ([]netcode.Entity, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.frames[room][tick]
	return w, ok
}

// ticks lists the recorded ticks of room in [from, to], ascending.
func (l *frameLog) ticks(room string, from, to uint32) []uint32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []uint32
	for tick := range l.frames[room] {
		if tick >= from && tick <= to {
			out = append(out, tick)
		}
	}
	slices.Sort(out)
	return out
}

// truthView is what a client of player id should see of world, computed the
// slow way: its player, and with AOI everything within the radius; only its
// own player keeps its velocity.
func truthView(world []netcode.Entity, id uint32, cfg Config) []netcode.Entity {
	var me *netcode.Entity
	for i := range world {
		if world[i].ID == id {
			me = &world[i]
		}
	}
	if cfg.AOI && me == nil {
		return nil
	}
	var rq int64
	if cfg.AOI {
		rq = int64(math.Ceil(cfg.ViewRadius * game.PosScale))
	}
	var out []netcode.Entity
	for _, e := range world {
		if cfg.AOI && e.ID != id {
			dx, dy := int64(e.X)-int64(me.X), int64(e.Y)-int64(me.Y)
			if dx*dx+dy*dy > rq*rq {
				continue
			}
		}
		if e.ID != id {
			// Velocity is the owner's only (PROTOCOL.md 5.2).
			e.VX, e.VY = 0, 0
		}
		out = append(out, e)
	}
	return out
}
