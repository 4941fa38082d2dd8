package engine

import (
	"time"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// snapshot captures the world at tick into the history and sends each client
// its view as a delta against the view it last acknowledged. The room's
// scratch (views, delta, frame buffer) is reused for every client, and the
// outbox copies the frame into a buffer of its own, so a steady tick
// allocates nothing.
func (r *room) snapshot(tick uint32, now time.Time) {
	f := r.hist.record(tick, r.sim.State)
	if r.onFrame != nil {
		r.onFrame(r.name, tick, f.ents)
	}
	if r.cfg.AOI {
		r.grid.build(f.ents)
	}
	for _, m := range r.members {
		c := m.conn
		if c == nil || c.code.Load() != 0 {
			continue
		}
		if c.out.over() {
			r.fallBehind(m, now)
			continue
		}
		m.behind = time.Time{}
		r.sendView(m, f)
	}
	if tick%uint32(r.cfg.TickRate) == 0 {
		r.sendBoard(f)
	}
}

// fallBehind skips a client whose send queue is over its cap. Its ack, and
// so the baseline of its next delta, stays valid; past SlowClientTimeout it
// is closed (its player waits for a resume like any dropped one).
func (r *room) fallBehind(m *member, now time.Time) {
	r.m.snapshotsSkipped.Inc()
	r.log.Debug("snapshot skipped: send queue full", "player", m.id)
	if m.behind.IsZero() {
		m.behind = now
		return
	}
	if now.Sub(m.behind) >= r.cfg.SlowClientTimeout {
		r.m.slowKicks.Inc()
		r.log.Info("closing slow client", "player", m.id, "behind", now.Sub(m.behind))
		m.conn.kick(netcode.CloseSlowConsumer, "too slow: behind for "+r.cfg.SlowClientTimeout.String())
	}
}

func (r *room) sendView(m *member, f *frame) {
	view := m.views.take(f.tick, len(f.ents))
	r.visible(m, f, view)
	r.cur.Tick = f.tick
	r.cur.Entities = view.appendEntities(r.cur.Entities[:0], f.ents)
	netcode.DiffInto(&r.delta, r.baseline(m), &r.cur)
	r.delta.LastSeq = m.lastSeq
	r.buf = netcode.AppendDelta(r.buf[:0], &r.delta)
	if !m.conn.out.send(r.buf) {
		m.views.forget(f.tick)
		r.m.snapshotsSkipped.Inc()
		return
	}
	m.lastSent = f.tick
}

// visible marks in view what m's client sees of f: with AOI, its player and
// everything within the view radius of it (from the grid); without, all.
func (r *room) visible(m *member, f *frame, view bitset) {
	if !r.cfg.AOI {
		for i := range view {
			view[i] = ^uint64(0)
		}
		if rem := len(f.ents) % 64; rem != 0 {
			view[len(view)-1] = 1<<rem - 1
		}
		return
	}
	i := f.indexOf(m.id)
	if i < 0 {
		return
	}
	view.set(i)
	r.grid.query(f.ents[i].X, f.ents[i].Y, f.ents, view)
}

// baseline rebuilds the view m's client acknowledged, or returns nil (a full
// snapshot) when deltas are off, nothing is acknowledged, or the ack has left
// the rings.
func (r *room) baseline(m *member) *netcode.State {
	if !r.cfg.Deltas || m.ack == 0 {
		return nil
	}
	bf := r.hist.at(m.ack)
	if bf == nil {
		return nil
	}
	bv, ok := m.views.at(m.ack, len(bf.ents))
	if !ok {
		return nil
	}
	r.base.Tick = m.ack
	r.base.Entities = bv.appendEntities(r.base.Entities[:0], bf.ents)
	return &r.base
}

// sendBoard sends every client the top scores of f and the room's size.
func (r *room) sendBoard(f *frame) {
	r.top = r.top[:0]
	for i := range f.ents {
		if e := &f.ents[i]; e.Kind == game.KindPlayer {
			r.top = insertTop(r.top, netcode.BoardEntry{ID: e.ID, Name: e.Name, Score: e.Score}, netcode.MaxBoardEntries)
		}
	}
	b := netcode.Board{Kind: netcode.KindBoard, Players: uint16(min(len(r.members), 65535)), Entries: r.top}
	buf, err := netcode.Append(r.buf[:0], &b)
	if err != nil {
		r.log.Error("encode board", "err", err)
		return
	}
	r.buf = buf
	for _, m := range r.members {
		if c := m.conn; c != nil && c.code.Load() == 0 && !c.out.send(buf) {
			r.m.framesDropped.Inc()
		}
	}
}

// insertTop inserts e into top, kept best first (higher score, then lower
// ID) and at most n long.
func insertTop(top []netcode.BoardEntry, e netcode.BoardEntry, n int) []netcode.BoardEntry {
	pos := len(top)
	for pos > 0 && (e.Score > top[pos-1].Score || e.Score == top[pos-1].Score && e.ID < top[pos-1].ID) {
		pos--
	}
	if pos >= n {
		return top
	}
	if len(top) < n {
		top = append(top, netcode.BoardEntry{})
	}
	copy(top[pos+1:], top[pos:len(top)-1])
	top[pos] = e
	return top
}
