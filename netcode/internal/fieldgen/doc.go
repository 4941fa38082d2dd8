// Command fieldgen writes netcode's fields_gen.go: the Field constants and
// the hot-path ladders over the entity fields (diff, apply, encode, decode),
// from the field table entityFields (netcode/fields.go) and the Entity struct.
// It reads the sources with go/parser rather than importing netcode, so that
// it still runs when the generated file no longer compiles.
//
// Run it as `go generate ./netcode`. Its test fails when the file on disk is
// not what it would write. It is not a general code generator: it knows
// exactly the wire types of fields.go.
package main
