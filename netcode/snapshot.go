package netcode

import (
	"math/bits"

	"github.com/skirmish-game/skirmish/game"
)

// AppendDelta appends the snapshot message for d to dst:
//
//	[4, tick, baseline, lastSeq, [[id, mask, fields...]...], [removedID...]]
//
// with each entity's fields in bit order (FieldKind first). It is the
// server's hot path: with enough capacity in dst it allocates nothing. It does
// not validate d; mask bits outside FieldsAll are dropped. DiffInto's output
// always decodes.
func AppendDelta(dst []byte, d *Delta) []byte {
	e := getEncoder(dst)
	e.arrayLen(snapshotLen)
	e.kind(KindSnapshot)
	e.uint(uint64(d.Tick))
	e.uint(uint64(d.Baseline))
	e.uint(uint64(d.LastSeq))
	e.arrayLen(len(d.Changes))
	for i := range d.Changes {
		appendEntityDelta(e, d.Changes[i].Mask&FieldsAll, &d.Changes[i].E)
	}
	e.arrayLen(len(d.Removed))
	for _, id := range d.Removed {
		e.uint(uint64(id))
	}
	return e.finish()
}

func appendEntityDelta(e *wireEncoder, mask uint16, x *Entity) {
	e.arrayLen(2 + bits.OnesCount16(mask))
	e.uint(uint64(x.ID))
	e.uint(uint64(mask))
	if mask&FieldKind != 0 {
		e.uint(uint64(x.Kind))
	}
	if mask&FieldX != 0 {
		e.uint(uint64(x.X))
	}
	if mask&FieldY != 0 {
		e.uint(uint64(x.Y))
	}
	if mask&FieldVX != 0 {
		e.int(int64(x.VX))
	}
	if mask&FieldVY != 0 {
		e.int(int64(x.VY))
	}
	if mask&FieldAngle != 0 {
		e.uint(uint64(x.Angle))
	}
	if mask&FieldHP != 0 {
		e.uint(uint64(x.HP))
	}
	if mask&FieldScore != 0 {
		e.uint(uint64(x.Score))
	}
	if mask&FieldTimer != 0 {
		e.uint(uint64(x.Timer))
	}
	if mask&FieldOwner != 0 {
		e.uint(uint64(x.Owner))
	}
	if mask&FieldName != 0 {
		e.str(x.Name)
	}
}

// DecodeDelta decodes a snapshot message into d, reusing the capacity of
// d.Changes and d.Removed. It rejects more than MaxEntities changes or
// removals, IDs that are not strictly ascending, a mask of 0 or with bits
// outside FieldsAll, an entity array whose length is not 2+popcount(mask),
// names that are not valid (MaxNameLen), and values out of their field's
// range. On error *d is unspecified.
func DecodeDelta(data []byte, d *Delta) error {
	r := getReader(data)
	defer r.release()
	if err := r.array("snapshot", snapshotLen); err != nil {
		return err
	}
	if err := r.kind(KindSnapshot); err != nil {
		return err
	}
	var err error
	if d.Tick, err = r.uint32("snapshot tick"); err != nil {
		return err
	}
	if d.Baseline, err = r.uint32("snapshot baseline"); err != nil {
		return err
	}
	if d.LastSeq, err = r.uint32("snapshot last seq"); err != nil {
		return err
	}
	// An entity delta takes at least 4 bytes: fixarray, id, mask, one field.
	n, err := r.arrayLen("snapshot changes", MaxEntities, 4)
	if err != nil {
		return err
	}
	if cap(d.Changes) < n {
		d.Changes = make([]EntityDelta, 0, n)
	}
	d.Changes = d.Changes[:0]
	for i := range n {
		var ed EntityDelta
		if err := r.entityDelta(&ed); err != nil {
			return err
		}
		if i > 0 && ed.E.ID <= d.Changes[i-1].E.ID {
			return malformed("snapshot changes", "id %d after %d", ed.E.ID, d.Changes[i-1].E.ID)
		}
		d.Changes = append(d.Changes, ed)
	}
	if n, err = r.arrayLen("snapshot removed", MaxEntities, 1); err != nil {
		return err
	}
	if cap(d.Removed) < n {
		d.Removed = make([]uint32, 0, n)
	}
	d.Removed = d.Removed[:0]
	for i := range n {
		id, err := r.uint32("snapshot removed id")
		if err != nil {
			return err
		}
		if i > 0 && id <= d.Removed[i-1] {
			return malformed("snapshot removed", "id %d after %d", id, d.Removed[i-1])
		}
		d.Removed = append(d.Removed, id)
	}
	return r.end()
}

func (r *wireReader) entityDelta(ed *EntityDelta) error {
	n, err := r.arrayLen("entity delta", 2+FieldCount, 1)
	if err != nil {
		return err
	}
	x := &ed.E
	if x.ID, err = r.uint32("entity id"); err != nil {
		return err
	}
	if ed.Mask, err = r.uint16("entity mask"); err != nil {
		return err
	}
	if ed.Mask == 0 || ed.Mask&^FieldsAll != 0 {
		return malformed("entity mask", "0x%04x is not a non-empty subset of 0x%04x", ed.Mask, FieldsAll)
	}
	if want := 2 + bits.OnesCount16(ed.Mask); n != want {
		return malformed("entity delta", "%d elements for mask 0x%04x, want %d", n, ed.Mask, want)
	}
	if ed.Mask&FieldKind != 0 {
		k, err := r.uint8("entity kind")
		if err != nil {
			return err
		}
		x.Kind = game.Kind(k)
	}
	if ed.Mask&FieldX != 0 {
		if x.X, err = r.uint16("entity x"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldY != 0 {
		if x.Y, err = r.uint16("entity y"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldVX != 0 {
		if x.VX, err = r.int16("entity vx"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldVY != 0 {
		if x.VY, err = r.int16("entity vy"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldAngle != 0 {
		if x.Angle, err = r.uint16("entity angle"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldHP != 0 {
		if x.HP, err = r.uint8("entity hp"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldScore != 0 {
		if x.Score, err = r.uint32("entity score"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldTimer != 0 {
		if x.Timer, err = r.uint16("entity timer"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldOwner != 0 {
		if x.Owner, err = r.uint32("entity owner"); err != nil {
			return err
		}
	}
	if ed.Mask&FieldName != 0 {
		b, err := r.bytes("entity name", MaxNameLen)
		if err != nil {
			return err
		}
		x.Name = string(b)
		return validateName("entity name", x.Name)
	}
	return nil
}
