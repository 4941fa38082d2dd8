package engine

import (
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// snapshot captures the world at tick into the history and sends each client
// its view as a delta against the view it last acknowledged. Capturing is the
// room goroutine's alone; the per-client work, which only reads the capture,
// fans out to the room's workers in a big room (fanout.go). Each worker's
// scratch (encoding cache, body and frame buffers) is reused for every
// client it serves, and the outbox copies the frame into a buffer of its
// own, so a steady tick allocates nothing.
func (r *room) snapshot(tick uint32, now time.Time) {
	f := r.hist.record(tick, r.sim.State)
	if r.onFrame != nil {
		r.onFrame(r.name, tick, f.ents)
	}
	if r.cfg.AOI {
		r.grid.build(f.ents, len(r.members) >= rowBitsClients)
	}
	j := snapJob{f: f, now: now}
	if tick%uint32(r.cfg.TickRate) == 0 {
		j.board = r.board(f)
	}
	r.serveAll(j, r.fan.workers(len(r.members)))
}

// rowBitsClients is how many clients a room must have for its grid to make
// the rows' prefix bitsets (grid.build): they cost a bitset of the world per
// cell to build and keep, which a few queries do not win back.
const rowBitsClients = 200

// snapJob is what a snapshot tick serves every client: its view of f and,
// once a second, the board, which workers only read.
type snapJob struct {
	f     *frame
	board []byte // nil: not a board tick
	now   time.Time
}

// serve stages m's client's frames of j, its view and the board, and wakes
// its connection once for them; a client that is gone is skipped, and one
// that is behind gets no view. It writes only m and s, so workers can serve
// members side by side.
func (r *room) serve(s *snapScratch, m *member, j *snapJob) {
	p := m.peer
	if p == nil || p.closed() {
		return
	}
	staged := false
	if p.over() {
		r.fallBehind(m, j.now)
	} else {
		m.behind = time.Time{}
		staged = r.sendView(s, m, j.f)
	}
	if j.board != nil && !p.closed() {
		if p.stage(j.board) {
			staged = true
		} else {
			r.m.framesDropped.Inc()
		}
	}
	if staged {
		p.flush()
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
		m.peer.kick(netcode.CloseSlowConsumer, "too slow: behind for "+r.cfg.SlowClientTimeout.String())
	}
}

// sendView stages for m's client its view of f as a delta against the view
// it acknowledged (full when there is none), and reports whether it did. The
// acked view is translated to f's indices (baseSpans.translate), so that a
// word of each view at a time gives what was created, removed, and kept,
// and of what was kept only what changed for others is looked at. The
// changes of other entities come from the worker's encCache; only the own
// player, which keeps its velocity, is encoded for this client alone.
func (r *room) sendView(s *snapScratch, m *member, f *frame) bool {
	view := m.views.take(f.tick, len(f.ents))
	own := r.visible(m, f, view)
	var baseline uint32
	var bs *baseSpans
	s.acked = grow(s.acked, len(view))
	bf, bv := r.baseline(m, f.tick)
	if bf != nil {
		baseline, bs = bf.tick, s.enc.base(bf)
		bs.translate(bv, s.acked)
	} else {
		clear(s.acked)
	}
	// Room for a crowded view's changes up front, so that appendShort has
	// its slack and the body does not regrow while it fills; the head goes in
	// front of them once their count is known. The removals are at most
	// the acked view, so room for the baseline's frame is enough for good.
	s.body, s.removed = slices.Grow(s.body[:0], 16<<10)[:headRoom], s.removed[:0]
	var gone []int32 // entities of the acked view that left the world, ascending: the removals are merged in ID order
	var changed bitset
	if bs != nil {
		gone, changed = bs.gone, bs.changed
		s.removed = slices.Grow(s.removed, len(bf.ents))
	}
	changes := 0
	body := s.body // a local, which the loop keeps in registers
	for w, cur := range view {
		acked := s.acked[w]
		for left := acked &^ cur; left != 0; left &= left - 1 {
			id := f.ids[w<<6+bits.TrailingZeros64(left)]
			gone = s.removeGone(gone, bf, bv, id)
			s.removed = append(s.removed, id)
		}
		send := cur &^ acked // creates
		if changed != nil {
			send |= cur & changed[w] // updates that may have changed
		}
		if own>>6 == w {
			send |= cur & (1 << (uint(own) & 63)) // its velocity is not in changed
		}
		if send&^acked == 0 && own>>6 != w {
			// Only updates, none of them the own player's: the common
			// word, on a loop of its own.
			for ; send != 0; send &= send - 1 {
				u := s.enc.bytes(s.enc.update(bs, w<<6+bits.TrailingZeros64(send)))
				body = appendShort(body, u)
				if len(u) > 0 {
					changes++
				}
			}
			continue
		}
		for ; send != 0; send &= send - 1 {
			bit := bits.TrailingZeros64(send)
			j := w<<6 + bit
			switch kept := acked>>bit&1 != 0; {
			case j == own:
				var old *netcode.Entity
				if kept {
					old = &bf.ents[bs.from[j]]
				}
				n := len(body)
				body = appendOwn(body, old, &f.ents[j])
				if !kept || len(body) > n {
					changes++
				}
			case !kept:
				body = appendShort(body, s.enc.bytes(s.enc.create(j)))
				changes++
			default:
				u := s.enc.bytes(s.enc.update(bs, j))
				body = appendShort(body, u)
				if len(u) > 0 {
					changes++
				}
			}
		}
	}
	s.removeGone(gone, bf, bv, math.MaxUint32)
	s.body = netcode.AppendSnapshotTail(body, s.removed)
	if !m.peer.stage(s.frame(netcode.SnapshotHead{
		Tick: f.tick, Baseline: baseline, LastSeq: m.lastSeq, InputDelay: m.delay, Changes: changes,
	})) {
		m.views.forget(f.tick)
		r.m.snapshotsSkipped.Inc()
		return false
	}
	m.lastSent = f.tick
	return true
}

// headRoom is what a snapshot's body leaves in front of it for the head
// (at most 23 bytes), so that the frame is not copied once more to put the
// head first. A bigger head only costs that copy.
const headRoom = 32

// frame puts the head in front of s.body (from headRoom on: the changes and
// the removals) and returns the whole snapshot message.
func (s *snapScratch) frame(h netcode.SnapshotHead) []byte {
	s.head = netcode.AppendSnapshotHead(s.head[:0], h)
	if len(s.head) > headRoom {
		s.buf = append(append(s.buf[:0], s.head...), s.body[headRoom:]...)
		return s.buf
	}
	msg := s.body[headRoom-len(s.head):]
	copy(msg, s.head)
	return msg
}

// removeGone appends to s.removed the IDs below id of the entities of the
// acked view bv (over bf) that left the world, and returns the rest of
// gone: their baseline indices, ascending.
func (s *snapScratch) removeGone(gone []int32, bf *frame, bv bitset, id uint32) []int32 {
	for len(gone) > 0 && bf.ids[gone[0]] < id {
		if bv.has(int(gone[0])) {
			s.removed = append(s.removed, bf.ids[gone[0]])
		}
		gone = gone[1:]
	}
	return gone
}

// visible marks in view what m's client sees of f and returns the index of
// its player, or -1: with AOI, its player and everything within the view
// radius of it (from the grid); without, all.
func (r *room) visible(m *member, f *frame, view bitset) int {
	i, ok := netcode.FindEntity(f.ents, m.id)
	if !r.cfg.AOI {
		for i := range view {
			view[i] = ^uint64(0)
		}
		if rem := len(f.ents) % 64; rem != 0 {
			view[len(view)-1] = 1<<rem - 1
		}
	} else if ok {
		view.set(i)
		r.grid.query(f.ents[i].X, f.ents[i].Y, view)
	}
	if !ok {
		return -1
	}
	return i
}

// appendOwn appends the change of a client's own player, velocity included:
// from old, or its create when old is nil. Nothing if it did not change.
func appendOwn(dst []byte, old, e *netcode.Entity) []byte {
	mask := netcode.CreateMask(e)
	if old != nil {
		mask = netcode.ChangedFields(old, e)
	}
	if mask == 0 {
		return dst
	}
	return netcode.AppendEntityDelta(dst, mask, e)
}

// baseline returns the frame and view m's client acknowledged, or nil (a
// full snapshot) when deltas are off, nothing is acknowledged, or the ack
// has left the rings.
func (r *room) baseline(m *member, now uint32) (*frame, bitset) {
	if !r.cfg.Deltas || m.ack == 0 {
		return nil, nil
	}
	// A client keeps about a second of states (PROTOCOL.md); after catch-up
	// ticks the ring can still hold an older frame, which it may have dropped.
	if now-m.ack >= uint32(r.rings)*r.k {
		return nil, nil
	}
	bf := r.hist.at(m.ack)
	if bf == nil {
		return nil, nil
	}
	bv, ok := m.views.at(m.ack, len(bf.ents))
	if !ok {
		return nil, nil
	}
	return bf, bv
}

// board encodes the top scores of f and the room's size, bots included, or
// returns nil when that fails.
func (r *room) board(f *frame) []byte {
	r.top = r.top[:0]
	for i := range f.ents {
		if e := &f.ents[i]; e.Kind == game.KindPlayer {
			r.top = insertTop(r.top, r.boardEntry(e), netcode.MaxBoardEntries)
		}
	}
	r.boardMsg = netcode.Board{Kind: netcode.KindBoard, Players: uint16(min(len(r.members)+len(r.bots), 65535)), Entries: r.top}
	buf, err := netcode.Append(r.buf[:0], &r.boardMsg)
	if err != nil {
		r.log.Error("encode board", "err", err)
		return nil
	}
	r.buf = buf
	return buf
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
