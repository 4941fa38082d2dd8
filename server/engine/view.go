package engine

import (
	"unsafe"

	"github.com/skirmish-game/skirmish/netcode"
)

// maxSpareViews is how many view buffers a client keeps beyond the views it
// holds, for the next snapshots: a client that acks a few ticks late needs
// one more buffer a tick and gives one back, so two spares mean none is
// allocated in the steady state. More, after a client has lagged and caught
// up, are left to the garbage collector.
const maxSpareViews = 2

// viewRing remembers, for one client, which entities each of the last
// snapshots sent to it held: a bitset over the frame of that tick. With the
// history ring this rebuilds the view the client acknowledged, the baseline
// of its next delta.
//
// It is a ring of slots, a slot per snapshot tick as in the history, but a
// slot holds a buffer only while its view may still be a baseline: sent
// and neither acknowledged past (release) nor overwritten a ring later. A
// client that acks a couple of ticks late so holds three or four views, not
// a second of them; one that stops acking fills every slot, as before.
type viewRing struct {
	k      uint32 // ticks per snapshot
	slots  int
	live   []liveView // views held, in the order taken; at most slots
	spare  []bitset   // buffers of stride words that hold no view
	stride int        // words per buffer
}

// liveView is a view held: the tick it was sent at and its bitset, a buffer
// of stride words.
type liveView struct {
	tick  uint32
	slot  int32 // index(tick), kept in what would be padding
	words bitset
}

func newViewRing(slots, k int) *viewRing {
	return &viewRing{k: uint32(k), slots: slots}
}

func (v *viewRing) index(tick uint32) int { return int(tick/v.k) % v.slots }

// find returns the position in live of the view in tick's slot, or -1.
func (v *viewRing) find(tick uint32) int {
	i := int32(v.index(tick))
	for j := range v.live {
		if v.live[j].slot == i {
			return j
		}
	}
	return -1
}

// take returns the cleared slot for tick, holding a bitset of at least
// entities bits. When the world has outgrown the buffers, they are remade
// and the older views forgotten (those clients get one full snapshot). The
// bitsets at and take returned before stay the caller's to read until the
// view is forgotten, released or overwritten.
func (v *viewRing) take(tick uint32, entities int) bitset {
	n := bitsetWords(entities)
	if n > v.stride {
		v.stride = n + n/4 + 1
		clear(v.live)
		v.live = v.live[:0]
		clear(v.spare)
		v.spare = v.spare[:0]
	}
	var b bitset
	if j := v.find(tick); j >= 0 { // the view a ring ago: overwritten
		b = v.live[j].words
		v.drop(j)
	} else if len(v.spare) > 0 {
		b = v.spare[len(v.spare)-1]
		v.spare[len(v.spare)-1] = nil
		v.spare = v.spare[:len(v.spare)-1]
	} else {
		b = make(bitset, v.stride)
	}
	v.live = append(v.live, liveView{tick: tick, slot: int32(v.index(tick)), words: b})
	b = b[:n]
	clear(b)
	return b
}

// drop removes live[j], keeping the others in order.
func (v *viewRing) drop(j int) {
	copy(v.live[j:], v.live[j+1:])
	v.live[len(v.live)-1] = liveView{}
	v.live = v.live[:len(v.live)-1]
}

// free gives live[j]'s buffer back to the spares, or to the garbage
// collector past maxSpareViews, and removes it.
func (v *viewRing) free(j int) {
	if len(v.spare) < maxSpareViews {
		v.spare = append(v.spare, v.live[j].words)
	}
	v.drop(j)
}

// forget drops the slot take just returned: the view was not sent after all.
func (v *viewRing) forget(tick uint32) {
	if j := v.find(tick); j >= 0 && v.live[j].tick == tick {
		v.free(j)
	}
}

// release drops the views sent before tick, which the client has
// acknowledged: none of them can be a baseline again, since an ack older
// than the client's newest is ignored (member.acknowledge).
func (v *viewRing) release(tick uint32) {
	for j := 0; j < len(v.live); {
		if netcode.SeqNewer(tick, v.live[j].tick) {
			v.free(j)
			continue
		}
		j++
	}
}

// at returns the view sent at tick over a frame of the given number of
// entities, if the ring still has it.
func (v *viewRing) at(tick uint32, entities int) (bitset, bool) {
	if tick == 0 {
		return nil, false
	}
	j := v.find(tick)
	if j < 0 || v.live[j].tick != tick {
		return nil, false
	}
	return v.live[j].words[:bitsetWords(entities)], true
}

// sent reports whether a view for tick is in the ring.
func (v *viewRing) sent(tick uint32) bool {
	if tick == 0 {
		return false
	}
	j := v.find(tick)
	return j >= 0 && v.live[j].tick == tick
}

// reset forgets every view, for a new connection.
func (v *viewRing) reset() {
	for len(v.live) > 0 {
		v.free(len(v.live) - 1)
	}
}

// bytes is what the ring keeps on the heap: itself, its lists and its
// buffers, views and spares.
func (v *viewRing) bytes() int {
	return int(unsafe.Sizeof(*v)) + cap(v.live)*int(unsafe.Sizeof(liveView{})) +
		cap(v.spare)*int(unsafe.Sizeof(bitset(nil))) + (len(v.live)+len(v.spare))*v.stride*8
}
