package netcode

import (
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/skirmish-game/skirmish/game"
)

// wireFrame encodes vals as one msgpack array, the way a foreign client
// might: Go ints become compact ints, float32/float64 keep their width.
func wireFrame(t testing.TB, vals ...any) []byte {
	t.Helper()
	b, err := msgpack.Marshal(vals)
	require.NoError(t, err)
	return b
}

// wireHex decodes a hex string that may contain spaces.
func wireHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	require.NoError(t, err)
	return b
}

// wireSpacedHex formats b as lowercase hex bytes separated by spaces.
func wireSpacedHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(hex.EncodeToString([]byte{c}))
	}
	return sb.String()
}

var wireNames = []string{"", "ann", "Zoë", "小明", "abcdefghijklmnop", "bot-7"}

// wireOrZero returns v, or the zero value a third of the time, so that random
// entities leave fields at zero and creates leave them out.
func wireOrZero[T any](r *rand.Rand, v T) T {
	var zero T
	if r.IntN(3) == 0 {
		return zero
	}
	return v
}

// wireRandFields sets the fields of e named by mask to random values over
// their wire ranges, but Kind, which takes the game's kinds and 0.
func wireRandFields(r *rand.Rand, e *Entity, mask uint16) {
	for i, f := range entityFields {
		if mask&(1<<i) == 0 {
			continue
		}
		switch {
		case uint16(1)<<i == FieldKind:
			e.Kind = game.Kind(r.IntN(5))
		case f.wire == wireName:
			wireSetFieldValue(e, i, wireNames[r.IntN(len(wireNames))])
		default:
			lo, hi, _ := f.wire.intRange()
			wireSetFieldInt(e, i, wireOrZero(r, lo+int64(r.Uint64N(uint64(hi-lo)+1))))
		}
	}
}

// wireRandState returns a state at tick whose entities are a random subset of
// IDs 1..universe (with a few huge IDs), with random fields.
func wireRandState(r *rand.Rand, tick uint32, universe int) State {
	s := State{Tick: tick}
	for id := 1; id <= universe; id++ {
		if r.IntN(2) == 0 {
			e := Entity{ID: uint32(id)}
			wireRandFields(r, &e, FieldsAll)
			s.Entities = append(s.Entities, e)
		}
	}
	if r.IntN(4) == 0 {
		e := Entity{ID: 1<<32 - 1}
		wireRandFields(r, &e, FieldsAll)
		s.Entities = append(s.Entities, e)
	}
	return s
}

// wireMutate returns the next state after base: some entities removed, some
// changed in a random set of fields, some created, the rest untouched.
func wireMutate(r *rand.Rand, base State, universe int) State {
	cur := State{Tick: base.Tick + 1 + uint32(r.IntN(3))}
	bi := 0
	for id := 1; id <= universe; id++ {
		if bi < len(base.Entities) && base.Entities[bi].ID == uint32(id) {
			e := base.Entities[bi]
			bi++
			switch p := r.IntN(100); {
			case p < 15: // removed
				continue
			case p < 45: // changed
				wireRandFields(r, &e, uint16(r.IntN(FieldsAll+1)))
			}
			cur.Entities = append(cur.Entities, e)
			continue
		}
		if r.IntN(10) == 0 {
			e := Entity{ID: uint32(id)}
			wireRandFields(r, &e, uint16(r.IntN(FieldsAll+1)))
			cur.Entities = append(cur.Entities, e)
		}
	}
	// IDs past the universe are carried over or dropped.
	for ; bi < len(base.Entities); bi++ {
		if r.IntN(2) == 0 {
			cur.Entities = append(cur.Entities, base.Entities[bi])
		}
	}
	return cur
}

// wireMasked returns the delta as the wire carries it: only the fields named by
// each mask (DiffInto keeps whole entities in E).
func wireMasked(d Delta) Delta {
	out := d
	out.Changes = make([]EntityDelta, len(d.Changes))
	for i, c := range d.Changes {
		out.Changes[i] = EntityDelta{Mask: c.Mask, E: Entity{ID: c.E.ID}}
		applyFields(&out.Changes[i].E, &c.E, c.Mask)
	}
	return out
}

// wireNorm makes empty slices nil so that deltas compare by content.
func wireNorm(d Delta) Delta {
	if len(d.Changes) == 0 {
		d.Changes = nil
	}
	if len(d.Removed) == 0 {
		d.Removed = nil
	}
	return d
}
