package netcode

import "math"

//go:generate go run ./internal/fieldgen

// entityFields is the entity field table, in the spirit of Quake 3's
// netField_t: entry i is the field of bit 1<<i, and the entries are in wire
// order. Everything that walks the fields is generated from it or driven by
// it: the Field constants and the four hot-path functions in fields_gen.go
// (ChangedFields, applyFields, AppendEntityDelta and the decoder's
// entityDelta), the range checks and name validation of the decoder, the
// tests' reference codecs and random entities, and PROTOCOL.md's table 5.2
// (a test holds it to this one).
//
// To add a field: add it to Entity, add a row here, run
// `go generate ./netcode` and add its row to PROTOCOL.md. The generated
// functions test each bit in turn, written out, because they run per entity
// per client per tick; a loop over this table there would cost an indirect
// access and a type switch per field.
//
// It is never written; it is a variable only because Go has no constant
// arrays of structs.
var entityFields = [...]entityField{
	{name: "Kind", wire: wireUint8},
	{name: "X", wire: wireUint16},
	{name: "Y", wire: wireUint16},
	{name: "VX", wire: wireInt16},
	{name: "VY", wire: wireInt16},
	{name: "Angle", wire: wireUint16},
	{name: "HP", wire: wireUint8},
	{name: "Score", wire: wireUint32},
	{name: "Timer", wire: wireUint16},
	{name: "Owner", wire: wireUint32},
	{name: "Name", wire: wireName},
	{name: "Seq", wire: wireUint32},
}

// FieldCount is the number of entity fields, FieldsAll the mask of them all.
const (
	FieldCount = len(entityFields)
	FieldsAll  = 1<<FieldCount - 1
)

// entityField is one row of entityFields.
type entityField struct {
	name string   // the field of Entity, and its name in PROTOCOL.md
	wire wireType // how it is written and what the decoder accepts
}

// wireType is how a field is carried. Integers may come in any msgpack
// integer form whose value fits the range; the encoder writes the shortest.
type wireType uint8

const (
	wireUint8  wireType = iota + 1 // integer in [0, 255]
	wireUint16                     // integer in [0, 65535]
	wireUint32                     // integer in [0, 2^32-1]
	wireInt16                      // integer in [-32768, 32767]
	wireName                       // str, validated by validateName
)

// String is the type's name in PROTOCOL.md's field tables.
func (w wireType) String() string {
	switch w {
	case wireUint8:
		return "uint8"
	case wireUint16:
		return "uint16"
	case wireUint32:
		return "uint32"
	case wireInt16:
		return "int16"
	case wireName:
		return "str"
	}
	return "invalid"
}

// intRange is the range the decoder accepts for an integer type; ok is false
// for wireName.
func (w wireType) intRange() (lo, hi int64, ok bool) {
	switch w {
	case wireUint8:
		return 0, math.MaxUint8, true
	case wireUint16:
		return 0, math.MaxUint16, true
	case wireUint32:
		return 0, math.MaxUint32, true
	case wireInt16:
		return math.MinInt16, math.MaxInt16, true
	}
	return 0, 0, false
}
