package netcode

import "fmt"

// Apply returns base with d applied. See ApplyInto.
func Apply(base *State, d *Delta) (State, error) {
	var s State
	err := ApplyInto(&s, base, d)
	return s, err
}

// ApplyInto sets *dst to base with d applied, reusing dst.Entities' capacity;
// dst must not share its backing array with base. The entities stay sorted by
// ID.
//
// d must fit base: d.Baseline == base.Tick, or d.Baseline == 0 (a full
// snapshot) with a nil or empty base, and every removed ID must be in base
// (ErrBaseline otherwise). Changes and Removed must each be strictly ascending,
// masks within FieldsAll, and no ID both changed and removed (ErrMalformed
// otherwise). On error dst holds no entities and its Tick is unchanged.
func ApplyInto(dst, base *State, d *Delta) error {
	out, err := applyEntities(dst.Entities[:0], base, d)
	if err != nil {
		dst.Entities = out[:0]
		return err
	}
	dst.Tick = d.Tick
	dst.Entities = out
	return nil
}

func applyEntities(out []Entity, base *State, d *Delta) ([]Entity, error) {
	var be []Entity
	if base != nil {
		be = base.Entities
	}
	switch {
	case d.Baseline == 0 && len(be) > 0:
		return out, fmt.Errorf("%w: full snapshot for tick %d applied to a base of %d entities", ErrBaseline, d.Tick, len(be))
	case d.Baseline == 0 && len(d.Removed) > 0:
		// A full snapshot has an empty base, so any removal misses it; said
		// before the loop could call an ID both created and removed malformed.
		return out, fmt.Errorf("%w: full snapshot for tick %d removes %d entities", ErrBaseline, d.Tick, len(d.Removed))
	case d.Baseline != 0 && base == nil:
		return out, fmt.Errorf("%w: delta from tick %d applied to no base", ErrBaseline, d.Baseline)
	case d.Baseline != 0 && d.Baseline != base.Tick:
		return out, fmt.Errorf("%w: delta from tick %d applied to tick %d", ErrBaseline, d.Baseline, base.Tick)
	}
	ch, rm := d.Changes, d.Removed
	i, j, k := 0, 0, 0
	for i < len(be) || j < len(ch) {
		var id uint32
		switch {
		case j == len(ch):
			id = be[i].ID
		case i == len(be):
			id = ch[j].E.ID
		default:
			id = min(be[i].ID, ch[j].E.ID)
		}
		inBase := i < len(be) && be[i].ID == id
		changed := j < len(ch) && ch[j].E.ID == id
		if changed {
			if j > 0 && ch[j-1].E.ID >= id {
				return out, fmt.Errorf("%w: changed ids not ascending: %d after %d", ErrMalformed, id, ch[j-1].E.ID)
			}
			if ch[j].Mask&^FieldsAll != 0 {
				return out, fmt.Errorf("%w: entity %d: mask 0x%04x outside 0x%04x", ErrMalformed, id, ch[j].Mask, FieldsAll)
			}
		}
		// Removed IDs below id were not met in base.
		if k < len(rm) && rm[k] < id {
			return out, removedErr(rm, k)
		}
		if k < len(rm) && rm[k] == id {
			if changed {
				return out, fmt.Errorf("%w: entity %d both changed and removed", ErrMalformed, id)
			}
			k++
			i++
			continue
		}
		var e Entity
		if inBase {
			e = be[i]
			i++
		} else {
			e.ID = id
		}
		if changed {
			applyFields(&e, &ch[j].E, ch[j].Mask)
			j++
		}
		out = append(out, e)
	}
	if k < len(rm) {
		return out, removedErr(rm, k)
	}
	return out, nil
}

func removedErr(rm []uint32, k int) error {
	if k > 0 && rm[k-1] >= rm[k] {
		return fmt.Errorf("%w: removed ids not ascending: %d after %d", ErrMalformed, rm[k], rm[k-1])
	}
	return fmt.Errorf("%w: removed entity %d is not in the base", ErrBaseline, rm[k])
}
