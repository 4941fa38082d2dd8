package engine

import "github.com/skirmish-game/skirmish/netcode"

// frame is the whole world as captured at one snapshot tick.
type frame struct {
	tick uint32           // 0: empty slot
	ents []netcode.Entity // sorted by ID; the buffer is reused when the slot comes round again
	// ids[i] is ents[i].ID: each snapshot merges two views by ID, and a
	// dense array of IDs keeps that walk in cache where the entities would
	// not be.
	ids []uint32
}

// history is a ring of the last frames, about a second of snapshot ticks:
// a client's acknowledged view is rebuilt from it, so an ack older than the
// ring gets a full snapshot.
type history struct {
	k      uint32 // ticks per snapshot: snapshot ticks are multiples of k
	frames []frame
}

func newHistory(frames, k int) *history {
	return &history{k: uint32(k), frames: make([]frame, frames)}
}

func (h *history) slot(tick uint32) *frame {
	return &h.frames[int(tick/h.k)%len(h.frames)]
}

// record captures the world at tick into the slot for tick, reusing its buffer.
func (h *history) record(tick uint32, capture func([]netcode.Entity) []netcode.Entity) *frame {
	f := h.slot(tick)
	f.tick = tick
	f.ents = capture(f.ents[:0])
	f.ids = grow(f.ids, len(f.ents))
	for i := range f.ents {
		f.ids[i] = f.ents[i].ID
	}
	return f
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
