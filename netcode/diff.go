package netcode

// Diff returns the delta that turns base into cur; a nil base gives a full
// snapshot. Both must have their entities sorted by ID.
func Diff(base, cur *State) Delta {
	var d Delta
	DiffInto(&d, base, cur)
	return d
}

// DiffInto is Diff into d, reusing the capacity of d.Changes and d.Removed, so
// that in steady state it allocates nothing. It sets Tick and Baseline and
// leaves LastSeq, which belongs to the player and not to the states, alone.
//
// A base at tick 0 cannot be named on the wire (Baseline 0 means "from
// nothing"), so it is diffed as a nil base: a full snapshot.
func DiffInto(d *Delta, base, cur *State) {
	if base != nil && base.Tick == 0 {
		base = nil
	}
	d.Tick = cur.Tick
	d.Baseline = 0
	var be []Entity
	if base != nil {
		d.Baseline = base.Tick
		be = base.Entities
	}
	ce := cur.Entities
	d.Changes = d.Changes[:0]
	d.Removed = d.Removed[:0]
	i, j := 0, 0
	for i < len(be) || j < len(ce) {
		switch {
		case j == len(ce) || i < len(be) && be[i].ID < ce[j].ID:
			d.Removed = append(d.Removed, be[i].ID)
			i++
		case i == len(be) || ce[j].ID < be[i].ID:
			d.Changes = append(d.Changes, EntityDelta{Mask: CreateMask(&ce[j]), E: ce[j]})
			j++
		default:
			if mask := ChangedFields(&be[i], &ce[j]); mask != 0 {
				d.Changes = append(d.Changes, EntityDelta{Mask: mask, E: ce[j]})
			}
			i++
			j++
		}
	}
}

// CreateMask is the mask of the change that creates e from the zero entity:
// its non-zero fields, or FieldKind if it has none, since a create must name
// a field (the decoder rejects mask 0) and Kind is as good as any.
func CreateMask(e *Entity) uint16 {
	if m := ChangedFields(&Entity{ID: e.ID}, e); m != 0 {
		return m
	}
	return FieldKind
}
