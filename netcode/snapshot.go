package netcode

// AppendDelta appends the snapshot message for d to dst:
//
//	[4, tick, baseline, lastSeq, inputDelay, [[id, mask, fields...]...], [removedID...]]
//
// with each entity's fields in bit order (FieldKind first). It is the
// server's hot path: with enough capacity in dst it allocates nothing, and it
// writes msgpack bytes directly (msgpack.go). It does not validate d; mask
// bits outside FieldsAll are dropped. DiffInto's output always decodes.
//
// A server that shares entity encodings between clients writes the same
// bytes piecewise: AppendSnapshotHead, AppendEntityDelta per change, then
// AppendSnapshotTail.
func AppendDelta(dst []byte, d *Delta) []byte {
	dst = AppendSnapshotHead(dst, SnapshotHead{Tick: d.Tick, Baseline: d.Baseline, LastSeq: d.LastSeq, InputDelay: d.InputDelay, Changes: len(d.Changes)})
	for i := range d.Changes {
		dst = AppendEntityDelta(dst, d.Changes[i].Mask, &d.Changes[i].E)
	}
	return AppendSnapshotTail(dst, d.Removed)
}

// AppendSnapshotHead appends a snapshot message up to and including the
// header of its array of changes, which must be followed by exactly
// h.Changes AppendEntityDelta encodings, ascending by ID, and then
// AppendSnapshotTail.
func AppendSnapshotHead(dst []byte, h SnapshotHead) []byte {
	dst = append(dst, mpFixArray|snapshotLen, byte(KindSnapshot))
	dst = appendUint(dst, uint64(h.Tick))
	dst = appendUint(dst, uint64(h.Baseline))
	dst = appendUint(dst, uint64(h.LastSeq))
	dst = appendUint(dst, uint64(h.InputDelay))
	return appendArrayLen(dst, h.Changes)
}

// AppendSnapshotTail appends the removed IDs (ascending), which end a
// snapshot message begun by AppendSnapshotHead.
func AppendSnapshotTail(dst []byte, removed []uint32) []byte {
	dst = appendArrayLen(dst, len(removed))
	for _, id := range removed {
		dst = appendUint(dst, uint64(id))
	}
	return dst
}

// DecodeDelta decodes a snapshot message into d, reusing the capacity of
// d.Changes and d.Removed. It rejects more than MaxEntities changes or
// removals, IDs that are not strictly ascending, a mask of 0 or with bits
// outside FieldsAll, an entity array whose length is not 2+popcount(mask),
// names that are not valid (MaxNameLen), and values out of their field's
// range. On error *d is unspecified.
//
// It reads the frame's bytes directly (reader.go): every client and bot
// decodes every snapshot. A name equal to the one already held at the same
// index of d.Changes is kept rather than allocated again.
func DecodeDelta(data []byte, d *Delta) error {
	r := reader{b: data}
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
	if d.InputDelay, err = r.uint16("snapshot input delay"); err != nil {
		return err
	}
	// An entity delta takes at least 4 bytes: fixarray, id, mask, one field.
	n, err := r.arrayLen("snapshot changes", MaxEntities, 4)
	if err != nil {
		return err
	}
	if cap(d.Changes) < n {
		d.Changes = make([]EntityDelta, n)
	}
	d.Changes = d.Changes[:n]
	for i := range d.Changes {
		ed := &d.Changes[i]
		if err := r.entityDelta(ed); err != nil {
			return err
		}
		if i > 0 && ed.E.ID <= d.Changes[i-1].E.ID {
			return malformed("snapshot changes", "id %d after %d", ed.E.ID, d.Changes[i-1].E.ID)
		}
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
