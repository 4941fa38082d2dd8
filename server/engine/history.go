package engine

import "github.com/skirmish-game/skirmish/netcode"

// frame is the whole world as captured at one snapshot tick.
type frame struct {
	tick uint32           // 0: empty slot
	ents []netcode.Entity // sorted by ID; the buffer is reused when the slot comes round again
	// ids[i] is ents[i].ID: mapping one frame's indices to another's
	// (baseSpans.match, record) walks two of these by ID, and a dense array
	// of IDs keeps that walk in cache where the entities would not be.
	ids []uint32
	// since[i] is the tick from which ents[i] has looked the same to
	// clients other than its owner (othersView): a client whose baseline is
	// that tick or newer needs nothing of it, which a snapshot tells from
	// one compare instead of the entity's fields.
	since []uint32
}

// history is a ring of the last frames, about a second of snapshot ticks:
// a client's acknowledged view is rebuilt from it, so an ack older than the
// ring gets a full snapshot.
type history struct {
	k      uint32 // ticks per snapshot: snapshot ticks are multiples of k
	frames []frame
	last   *frame // the frame recorded last; nil before the first
}

func newHistory(frames, k int) *history {
	return &history{k: uint32(k), frames: make([]frame, frames)}
}

func (h *history) slot(tick uint32) *frame {
	return &h.frames[int(tick/h.k)%len(h.frames)]
}

// record captures the world at tick into the slot for tick, reusing its
// buffer, and dates each entity's last change from the frame recorded
// before it.
func (h *history) record(tick uint32, capture func([]netcode.Entity) []netcode.Entity) *frame {
	f := h.slot(tick)
	p := h.last
	if p == f { // a ring of one slot: the previous frame is being overwritten
		p = nil
	}
	f.tick = tick
	f.ents = capture(f.ents[:0])
	f.ids = grow(f.ids, len(f.ents))
	f.since = grow(f.since, len(f.ents))
	i := 0 // into p: both are sorted by ID
	for j := range f.ents {
		id := f.ents[j].ID
		f.ids[j] = id
		f.since[j] = tick
		if p == nil {
			continue
		}
		for i < len(p.ids) && p.ids[i] < id {
			i++
		}
		if i < len(p.ids) && p.ids[i] == id && !othersChanged(&p.ents[i], &f.ents[j]) {
			f.since[j] = p.since[i]
		}
	}
	h.last = f
	return f
}

// othersChanged reports whether clients other than e's owner see a change
// from old to e: velocity is the owner's alone (othersView).
func othersChanged(old, e *netcode.Entity) bool {
	return netcode.ChangedFields(old, e)&^(netcode.FieldVX|netcode.FieldVY) != 0
}

// at returns the frame captured at tick, or nil if the ring no longer has it.
func (h *history) at(tick uint32) *frame {
	if tick == 0 {
		return nil
	}
	if f := h.slot(tick); f.tick == tick {
		return f
	}
	return nil
}
