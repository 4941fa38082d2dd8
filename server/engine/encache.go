package engine

import (
	"encoding/binary"

	"github.com/skirmish-game/skirmish/netcode"
)

// span locates one entity's encoded change in an encCache's arena. An entity
// not encoded yet has end < 0; an unchanged one has off == end.
type span struct{ off, end int32 }

var notEncoded = span{-1, -1}

// baseSpans holds, by index in the current frame, the encoded updates from
// the frame of one baseline tick, and how that frame's indices map to the
// current frame's: every client with this baseline translates its acked
// view with it (translate) instead of merging two ID lists.
type baseSpans struct {
	bf    *frame // the baseline's
	spans []span
	// from[j] is the baseline frame's index of the current frame's entity
	// j, or -1 when it is new.
	from []int32
	// runs are the stretches of entities in both frames, in order; an
	// entity is created or removed only between runs, so there are few.
	runs []run
	gone []int32 // baseline indices of the entities no longer in the world
	// changed has the bit of every current entity that clients other than
	// its owner see change since the baseline (or that is new).
	changed bitset
}

// run is n entities at baseline indices from.. and current indices to..
type run struct{ from, to, n int32 }

// encCache is the "encode once per (baseline, entity)" of ARCHITECTURE.md.
// At a snapshot tick most clients have acknowledged one of the same few
// recent ticks, and any two clients that see an entity and last acked the
// same tick need the same bytes for it: the change from that entity in the
// baseline's frame to this frame, or its create. So each is encoded the
// first time a client needs it and copied for the others: a client's
// snapshot becomes a few operations a word of its two views and a short
// copy a change (the same baseSpans also maps the baseline's indices to this
// frame's once for all those clients, and marks what changed). The bytes are
// those of what other clients see of an entity (no velocity: PROTOCOL.md
// 5.2); the own player is encoded per client. Each snapshot worker has its
// own (snapScratch), so no lookup takes a lock; its buffers are reused from
// tick to tick.
type encCache struct {
	f       *frame // the current frame
	arena   []byte
	creates []span      // by index in the current frame
	bases   []baseSpans // the first n are this tick's
	n       int
}

// reset starts a snapshot tick with the current frame f.
func (c *encCache) reset(f *frame) {
	c.f = f
	c.arena = c.arena[:0]
	c.creates = fillSpans(c.creates, len(f.ents))
	c.n = 0
}

func fillSpans(s []span, n int) []span {
	s = grow(s, n)
	for i := range s {
		s[i] = notEncoded
	}
	return s
}

// base returns the spans for updates from the baseline frame bf to the
// current frame, mapping the two on first use.
func (c *encCache) base(bf *frame) *baseSpans {
	for i := range c.n {
		if c.bases[i].bf == bf {
			return &c.bases[i]
		}
	}
	if c.n == len(c.bases) {
		c.bases = append(c.bases, baseSpans{})
	}
	b := &c.bases[c.n]
	c.n++
	b.bf = bf
	b.spans = fillSpans(b.spans, len(c.creates))
	b.match(bf, c.f)
	return b
}

// match maps bf's indices to f's by ID (both are sorted by it) and marks
// what changed.
func (b *baseSpans) match(bf, f *frame) {
	b.from = grow(b.from, len(f.ids))
	b.runs, b.gone = b.runs[:0], b.gone[:0]
	b.changed = grow(b.changed, bitsetWords(len(f.ids)))
	clear(b.changed)
	i := 0
	for j, id := range f.ids {
		for i < len(bf.ids) && bf.ids[i] < id {
			b.gone = append(b.gone, int32(i))
			i++
		}
		if i == len(bf.ids) || bf.ids[i] != id {
			b.from[j] = -1
			b.changed.set(j)
			continue
		}
		b.from[j] = int32(i)
		if n := len(b.runs); n > 0 && b.runs[n-1].from+b.runs[n-1].n == int32(i) && b.runs[n-1].to+b.runs[n-1].n == int32(j) {
			b.runs[n-1].n++
		} else {
			b.runs = append(b.runs, run{from: int32(i), to: int32(j), n: 1})
		}
		// Branch-free: whether an entity moved is a coin toss. The sign of
		// the difference, as serial numbers: since is after bf.tick.
		moved := uint64(bf.tick-f.since[j]) >> 31
		b.changed[j>>6] |= moved << (uint(j) & 63)
		i++
	}
	for ; i < len(bf.ids); i++ {
		b.gone = append(b.gone, int32(i))
	}
}

// translate sets in dst (over the current frame) the bits of the entities
// of view (over the baseline frame) that are still in the world.
func (b *baseSpans) translate(view, dst bitset) {
	clear(dst)
	for _, r := range b.runs {
		orRange(dst, view, int(r.to), int(r.from), int(r.n))
	}
}

// create returns where the encoded create, as other clients see it, of
// entity j of the current frame is (bytes has it). Entities are only read
// when not encoded yet: most calls are a lookup, small enough to be inlined
// into the snapshot's loop.
func (c *encCache) create(j int) span {
	if s := c.creates[j]; s.end >= 0 {
		return s
	}
	return c.encodeCreate(j)
}

// bytes returns the encoding at s.
func (c *encCache) bytes(s span) []byte { return c.arena[s.off:s.end] }

func (c *encCache) encodeCreate(j int) span {
	e := othersView(&c.f.ents[j])
	c.creates[j] = c.encode(netcode.CreateMask(&e), &e)
	return c.creates[j]
}

// update returns where the encoded change, as other clients see it, to
// entity j of the current frame from the same entity in b's frame is; empty
// if none. Like create, most calls are an inlined lookup.
func (c *encCache) update(b *baseSpans, j int) span {
	if s := b.spans[j]; s.end >= 0 {
		return s
	}
	return c.encodeUpdate(b, j)
}

func (c *encCache) encodeUpdate(b *baseSpans, j int) span {
	o, e := othersView(&b.bf.ents[b.from[j]]), othersView(&c.f.ents[j])
	b.spans[j] = c.encode(netcode.ChangedFields(&o, &e), &e)
	return b.spans[j]
}

func (c *encCache) encode(mask uint16, e *netcode.Entity) span {
	off := len(c.arena)
	if mask != 0 {
		c.arena = netcode.AppendEntityDelta(c.arena, mask, e)
	}
	return span{int32(off), int32(len(c.arena))}
}

// othersView is e as clients other than its owner see it: velocity is for
// the own player only (PROTOCOL.md 5.2), which saves the bytes of every
// velocity change of everyone else; others interpolate positions.
func othersView(e *netcode.Entity) netcode.Entity {
	o := *e
	o.VX, o.VY = 0, 0
	return o
}

// appendShort is append(dst, src...) for the encodings the cache hands out,
// most of them around 10 bytes: when both slices have 16 bytes of room it
// copies with two 8-byte moves instead of a call to memmove, which at 300
// copies per client per tick was the larger part of their cost.
func appendShort(dst, src []byte) []byte {
	n := len(dst)
	if len(src) > 16 || cap(src) < 16 || cap(dst)-n < 16 {
		return append(dst, src...)
	}
	d, s := dst[n:n+16], src[:16]
	binary.LittleEndian.PutUint64(d, binary.LittleEndian.Uint64(s))
	binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(s[8:]))
	return dst[:n+len(src)]
}
