package engine

// viewRing remembers, for one client, which entities each of the last
// snapshots sent to it held: a bitset over the frame of that tick. With the
// history ring this rebuilds the view the client acknowledged, the baseline
// of its next delta, at a few kilobytes per client.
type viewRing struct {
	k      uint32   // ticks per snapshot
	ticks  []uint32 // tick of the view in each slot; 0 = none
	stride int      // words per slot
	words  []uint64 // len(ticks) * stride
}

func newViewRing(slots, k int) *viewRing {
	return &viewRing{k: uint32(k), ticks: make([]uint32, slots)}
}

func (v *viewRing) index(tick uint32) int { return int(tick/v.k) % len(v.ticks) }

// take returns the cleared slot for tick, holding a bitset of at least
// entities bits. When the world has outgrown the slots, they are remade and
// the older views forgotten (those clients get one full snapshot).
func (v *viewRing) take(tick uint32, entities int) bitset {
	n := bitsetWords(entities)
	if n > v.stride {
		v.stride = n + n/4 + 1
		v.words = make([]uint64, len(v.ticks)*v.stride)
		clear(v.ticks)
	}
	i := v.index(tick)
	v.ticks[i] = tick
	b := bitset(v.words[i*v.stride : i*v.stride+n])
	clear(b)
	return b
}

// forget drops the slot take just returned: the view was not sent after all.
func (v *viewRing) forget(tick uint32) {
	if i := v.index(tick); v.ticks[i] == tick {
		v.ticks[i] = 0
	}
}

// at returns the view sent at tick over a frame of the given number of
// entities, if the ring still has it.
func (v *viewRing) at(tick uint32, entities int) (bitset, bool) {
	if tick == 0 {
		return nil, false
	}
	i := v.index(tick)
	if v.ticks[i] != tick {
		return nil, false
	}
	n := bitsetWords(entities)
	return bitset(v.words[i*v.stride : i*v.stride+n]), true
}

// sent reports whether a view for tick is in the ring.
func (v *viewRing) sent(tick uint32) bool {
	return tick != 0 && v.ticks[v.index(tick)] == tick
}

func (v *viewRing) reset() { clear(v.ticks) }
