package netcode

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests' access to the entity fields goes through entityFields: by the
// row's name, with reflect, so that no test holds its own list of fields.

// wireField is field i of e (settable).
func wireField(e *Entity, i int) reflect.Value {
	return reflect.ValueOf(e).Elem().FieldByName(entityFields[i].name)
}

// wireFieldInt reads integer field i of e.
func wireFieldInt(e *Entity, i int) int64 {
	v := wireField(e, i)
	if v.CanInt() {
		return v.Int()
	}
	return int64(v.Uint())
}

// wireSetFieldInt sets integer field i of e to x, which must be in range.
func wireSetFieldInt(e *Entity, i int, x int64) {
	v := wireField(e, i)
	if v.CanInt() {
		v.SetInt(x)
		return
	}
	v.SetUint(uint64(x))
}

// wireFieldValue is field i of e as the wire carries it: int64 or string.
func wireFieldValue(e *Entity, i int) any {
	if entityFields[i].wire == wireName {
		return wireField(e, i).String()
	}
	return wireFieldInt(e, i)
}

// wireSetFieldValue sets field i of e from an int64 or a string.
func wireSetFieldValue(e *Entity, i int, x any) {
	if s, ok := x.(string); ok {
		wireField(e, i).SetString(s)
		return
	}
	wireSetFieldInt(e, i, x.(int64))
}

// TestEntityFieldsCoverEntity: every field of Entity but ID has exactly one
// row, and each row's wire type fits the field's Go kind.
func TestEntityFieldsCoverEntity(t *testing.T) {
	require.LessOrEqual(t, FieldCount, 16, "masks are uint16")
	wantKind := map[wireType]reflect.Kind{
		wireUint8: reflect.Uint8, wireUint16: reflect.Uint16, wireUint32: reflect.Uint32,
		wireInt16: reflect.Int16, wireName: reflect.String,
	}
	typ := reflect.TypeFor[Entity]()
	rows := make(map[string]int)
	for i, f := range entityFields {
		_, dup := rows[f.name]
		require.False(t, dup, "%s has two rows", f.name)
		rows[f.name] = i
		sf, ok := typ.FieldByName(f.name)
		require.True(t, ok, "row %d: Entity has no field %s", i, f.name)
		assert.Equal(t, wantKind[f.wire], sf.Type.Kind(), "row %d (%s): wire type %v", i, f.name, f.wire)
	}
	for sf := range typ.Fields() {
		if sf.Name == "ID" {
			continue
		}
		_, ok := rows[sf.Name]
		assert.True(t, ok, "Entity.%s has no row in entityFields", sf.Name)
	}
}

// wireFieldSamples are values of field i worth trying: the ends of its range
// and one inside, or names.
func wireFieldSamples(i int) []any {
	lo, hi, ok := entityFields[i].wire.intRange()
	if !ok {
		return []any{"ann", "Zoë", "abcdefghijklmnop"}
	}
	var out []any
	for _, v := range []int64{lo, hi, 1, -1} {
		if v >= lo && v <= hi && v != 0 {
			out = append(out, v)
		}
	}
	return out
}

// TestFieldLaddersFollowTheTable holds the generated ladders to the table,
// one field at a time, so that a ladder edited by hand, or a file generated
// from another table, fails here: ChangedFields sees exactly that field's
// bit, applyFields copies exactly that field, and the encoder writes one
// value that the decoder reads back into exactly that field, with all
// others zero.
func TestFieldLaddersFollowTheTable(t *testing.T) {
	for i, f := range entityFields {
		bit := uint16(1) << i
		for _, v := range wireFieldSamples(i) {
			t.Run(fmt.Sprintf("%s=%v", f.name, v), func(t *testing.T) {
				var e Entity
				e.ID = 7
				wireSetFieldValue(&e, i, v)
				assert.Equal(t, bit, ChangedFields(&Entity{ID: 7}, &e), "diff")
				assert.Equal(t, bit, CreateMask(&e), "create")

				full := e
				for j := range entityFields {
					if j != i {
						wireSetFieldValue(&full, j, wireFieldSamples(j)[0])
					}
				}
				dst := Entity{ID: 7}
				applyFields(&dst, &full, bit)
				assert.Equal(t, e, dst, "apply copies the field and no other")

				frame := AppendDelta(nil, &Delta{Tick: 1, Changes: []EntityDelta{{Mask: bit, E: full}}})
				var d Delta
				require.NoError(t, DecodeDelta(frame, &d))
				require.Len(t, d.Changes, 1)
				assert.Equal(t, EntityDelta{Mask: bit, E: e}, d.Changes[0], "one value on the wire, decoded into its field")
			})
		}
	}
}

// TestFieldRangesAreEnforced: the decoder rejects one past each end of an
// integer field's range, as invalid, naming the field.
func TestFieldRangesAreEnforced(t *testing.T) {
	for i, f := range entityFields {
		lo, hi, ok := f.wire.intRange()
		if !ok {
			continue
		}
		for _, v := range []int64{lo - 1, hi + 1} {
			t.Run(fmt.Sprintf("%s=%d", f.name, v), func(t *testing.T) {
				frame := wireFrame(t, int(KindSnapshot), 1, 0, 0, 0, []any{[]any{1, 1 << i, v}}, []any{})
				var d Delta
				err := DecodeDelta(frame, &d)
				require.ErrorIs(t, err, ErrInvalidValue)
				assert.Contains(t, err.Error(), "entity "+strings.ToLower(f.name))
			})
		}
	}
}

// TestProtocolFieldTable holds PROTOCOL.md's table 5.2 to entityFields: bit,
// mask, name and type of every row, in order, and the mask limit in the text.
func TestProtocolFieldTable(t *testing.T) {
	doc, err := os.ReadFile("../PROTOCOL.md")
	require.NoError(t, err)
	text := string(doc)
	start := strings.Index(text, "### 5.2 Entity fields")
	require.GreaterOrEqual(t, start, 0, "PROTOCOL.md has section 5.2")
	section := text[start:]
	section = section[:strings.Index(section[1:], "\n### ")+1]

	row := regexp.MustCompile("(?m)^\\|\\s*(\\d+)\\s*\\|\\s*`(0x[0-9a-f]+)`\\s*\\|\\s*(\\w+)\\s*\\|\\s*(\\w+)\\s*\\|")
	var got []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		got = append(got, strings.Join(m[1:], " "))
	}
	var want []string
	for i, f := range entityFields {
		want = append(want, strings.Join([]string{strconv.Itoa(i), fmt.Sprintf("0x%03x", 1<<i), f.name, f.wire.String()}, " "))
	}
	assert.Equal(t, want, got, "PROTOCOL.md 5.2: bit, mask, field, type")
	assert.Contains(t, text, fmt.Sprintf("no bits above `0x%x`", FieldsAll), "5.1 states FieldsAll")
	assert.Contains(t, text, fmt.Sprintf("masks outside `0x%x`", FieldsAll), "section 10 states FieldsAll")
}
