package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// genFile is the name of the generated file in the netcode directory.
const genFile = "fields_gen.go"

// field is one row of entityFields with the Go type Entity gives it.
type field struct {
	name   string // Entity's field
	wire   string // the wireType constant of its row, e.g. "wireUint16"
	goType string // as written in Entity, e.g. "uint16" or "game.Kind"
}

// intWire is how the code of netcode handles an integer wire type: the
// reader method that range-checks it (named after the Go type it returns),
// and the append function that writes it with its argument type.
type intWire struct{ read, appendFn, widen string }

// intWireOf returns the intWire of a wireType constant; ok is false for any
// other name.
func intWireOf(wire string) (w intWire, ok bool) {
	switch wire {
	case "wireUint8":
		return intWire{"uint8", "appendUint", "uint64"}, true
	case "wireUint16":
		return intWire{"uint16", "appendUint", "uint64"}, true
	case "wireUint32":
		return intWire{"uint32", "appendUint", "uint64"}, true
	case "wireInt16":
		return intWire{"int16", "appendInt", "int64"}, true
	}
	return intWire{}, false
}

// wireName is the one string wire type: a str checked by validateName.
const wireName = "wireName"

// generate reads the netcode package in dir and returns the source of its
// fields_gen.go.
func generate(dir string) ([]byte, error) {
	fields, imports, err := load(dir)
	if err != nil {
		return nil, err
	}
	return render(fields, imports)
}

// load parses the package's non-test sources but the generated file and
// returns the table's rows with their Go types, and the imports of the file
// that declares Entity (name -> path) for the types it names.
func load(dir string) ([]field, map[string]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, nil, fmt.Errorf("list sources: %w", err)
	}
	fset := token.NewFileSet()
	var entity *ast.StructType
	var table *ast.CompositeLit
	var imports map[string]string
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") || filepath.Base(p) == genFile {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, fmt.Errorf("parse: %w", err)
		}
		if st := findEntity(f); st != nil {
			entity, imports = st, fileImports(f)
		}
		if lit := findTable(f); lit != nil {
			table = lit
		}
	}
	if entity == nil {
		return nil, nil, errors.New("no type Entity struct in " + dir)
	}
	if table == nil {
		return nil, nil, errors.New("no var entityFields = [...]entityField{...} in " + dir)
	}
	types, err := entityTypes(entity)
	if err != nil {
		return nil, nil, err
	}
	rows, err := tableRows(table)
	if err != nil {
		return nil, nil, err
	}
	return join(rows, types, imports)
}

func findEntity(f *ast.File) *ast.StructType {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			if ts := s.(*ast.TypeSpec); ts.Name.Name == "Entity" {
				if st, ok := ts.Type.(*ast.StructType); ok {
					return st
				}
			}
		}
	}
	return nil
}

func findTable(f *ast.File) *ast.CompositeLit {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name == "entityFields" && i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.CompositeLit); ok {
						return lit
					}
				}
			}
		}
	}
	return nil
}

func fileImports(f *ast.File) map[string]string {
	m := make(map[string]string)
	for _, is := range f.Imports {
		path, _ := strconv.Unquote(is.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if is.Name != nil {
			name = is.Name.Name
		}
		m[name] = path
	}
	return m
}

// entityTypes maps each field of Entity to its type as written.
func entityTypes(st *ast.StructType) (map[string]string, error) {
	types := make(map[string]string)
	for _, f := range st.Fields.List {
		var b bytes.Buffer
		if err := format.Node(&b, token.NewFileSet(), f.Type); err != nil {
			return nil, fmt.Errorf("entity field type: %w", err)
		}
		for _, n := range f.Names {
			types[n.Name] = b.String()
		}
	}
	return types, nil
}

// tableRows reads the rows {name: "X", wire: wireUint16} of the table.
func tableRows(lit *ast.CompositeLit) ([]field, error) {
	var rows []field
	for i, el := range lit.Elts {
		row, ok := el.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("entityFields row %d: not a composite literal", i)
		}
		var f field
		for _, kv := range row.Elts {
			kv, ok := kv.(*ast.KeyValueExpr)
			if !ok {
				return nil, fmt.Errorf("entityFields row %d: want keyed fields", i)
			}
			key, _ := kv.Key.(*ast.Ident)
			switch {
			case key == nil:
			case key.Name == "name":
				if bl, ok := kv.Value.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					f.name, _ = strconv.Unquote(bl.Value)
				}
			case key.Name == "wire":
				if id, ok := kv.Value.(*ast.Ident); ok {
					f.wire = id.Name
				}
			}
		}
		if f.name == "" || f.wire == "" {
			return nil, fmt.Errorf("entityFields row %d: want a string name and a wire type constant", i)
		}
		rows = append(rows, f)
	}
	return rows, nil
}

// join gives each row its Go type and checks that the table and Entity name
// the same fields, ID aside: the ID keys each change and is not in the mask.
func join(rows []field, types, imports map[string]string) ([]field, map[string]string, error) {
	if len(rows) == 0 || len(rows) > 16 {
		return nil, nil, fmt.Errorf("entityFields has %d rows; the mask is a uint16", len(rows))
	}
	seen := map[string]bool{"ID": true}
	used := make(map[string]string)
	for i := range rows {
		f := &rows[i]
		t, ok := types[f.name]
		switch {
		case f.name == "ID":
			return nil, nil, errors.New("entityFields: ID is the key of a change, not a field")
		case seen[f.name]:
			return nil, nil, fmt.Errorf("entityFields: %s twice", f.name)
		case !ok:
			return nil, nil, fmt.Errorf("entityFields: Entity has no field %s", f.name)
		}
		if _, ok := intWireOf(f.wire); !ok && f.wire != wireName {
			return nil, nil, fmt.Errorf("entityFields: %s: unknown wire type %s", f.name, f.wire)
		}
		if (f.wire == wireName) != (t == "string") {
			return nil, nil, fmt.Errorf("entityFields: %s: wire type %s for a field of type %s", f.name, f.wire, t)
		}
		if pkg, _, ok := strings.Cut(t, "."); ok {
			if imports[pkg] == "" {
				return nil, nil, fmt.Errorf("entityFields: %s: type %s of no import", f.name, t)
			}
			used[pkg] = imports[pkg]
		}
		seen[f.name] = true
		f.goType = t
	}
	for name := range types {
		if !seen[name] {
			return nil, nil, fmt.Errorf("entityFields: no row for Entity.%s", name)
		}
	}
	return rows, used, nil
}

// render writes the generated file. Every ladder tests each bit in table
// order, which is the wire order.
func render(fields []field, imports map[string]string) ([]byte, error) {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("// Code generated by go run ./internal/fieldgen; DO NOT EDIT.")
	p("// It writes out entityFields (fields.go) for the hot paths.")
	p("")
	p("package netcode")
	p("import (")
	p(`"math/bits"`)
	for _, path := range slices.Sorted(maps.Values(imports)) {
		p("%q", path)
	}
	p(")")
	p("// Field bits of EntityDelta.Mask, in wire order: one per row of entityFields.")
	p("const (")
	for i, f := range fields {
		if i == 0 {
			p("Field%s uint16 = 1 << iota", f.name)
		} else {
			p("Field%s", f.name)
		}
	}
	p(")")

	p("// ChangedFields returns the mask of the fields in which b differs from a.")
	p("func ChangedFields(a, b *Entity) uint16 {")
	p("var m uint16")
	for _, f := range fields {
		p("if a.%[1]s != b.%[1]s { m |= Field%[1]s }", f.name)
	}
	p("return m")
	p("}")

	p("// applyFields copies the fields of src named by mask into dst.")
	p("func applyFields(dst, src *Entity, mask uint16) {")
	for _, f := range fields {
		p("if mask&Field%[1]s != 0 { dst.%[1]s = src.%[1]s }", f.name)
	}
	p("}")

	// The two codec functions are written whole, not as a ladder called from
	// hand-written code: they run per entity per client per snapshot, and so
	// keep the code and the calls they had when they were written by hand.
	p("// AppendEntityDelta appends one change of a snapshot, [id, mask, fields...],")
	p("// with the fields of x named by mask (bits outside FieldsAll are dropped).")
	p("func AppendEntityDelta(dst []byte, mask uint16, x *Entity) []byte {")
	p("mask &= FieldsAll")
	p("dst = appendArrayLen(dst, 2+bits.OnesCount16(mask))")
	p("dst = appendUint(dst, uint64(x.ID))")
	p("dst = appendUint(dst, uint64(mask))")
	for _, f := range fields {
		if f.wire == wireName {
			p("if mask&Field%[1]s != 0 { dst = appendStr(dst, x.%[1]s) }", f.name)
			continue
		}
		w, _ := intWireOf(f.wire)
		p("if mask&Field%[1]s != 0 { dst = %[2]s(dst, %[3]s(x.%[1]s)) }", f.name, w.appendFn, w.widen)
	}
	p("return dst")
	p("}")

	p("// entityDelta decodes one change into ed, overwriting all of it; only the")
	p("// strings it held before are looked at, to be kept if they come again.")
	p("// Each value is range-checked for its wire type and strings are validated.")
	p("func (r *reader) entityDelta(ed *EntityDelta) error {")
	for _, f := range fields {
		if f.wire == wireName {
			p("old%[1]s := ed.E.%[1]s", f.name)
		}
	}
	p("*ed = EntityDelta{}")
	p(`n, err := r.arrayLen("entity delta", 2+FieldCount, 1)`)
	p("if err != nil { return err }")
	p("x := &ed.E")
	p(`if x.ID, err = r.uint32("entity id"); err != nil { return err }`)
	p(`if ed.Mask, err = r.uint16("entity mask"); err != nil { return err }`)
	p("if ed.Mask == 0 || ed.Mask&^FieldsAll != 0 {")
	p(`return malformed("entity mask", "0x%%04x is not a non-empty subset of 0x%%04x", ed.Mask, FieldsAll)`)
	p("}")
	p("if want := 2 + bits.OnesCount16(ed.Mask); n != want {")
	p(`return malformed("entity delta", "%%d elements for mask 0x%%04x, want %%d", n, ed.Mask, want)`)
	p("}")
	for _, f := range fields {
		what := "entity " + strings.ToLower(f.name)
		p("if ed.Mask&Field%s != 0 {", f.name)
		if f.wire == wireName {
			p("b, err := r.bytes(%q, MaxNameLen)", what)
			p("if err != nil { return err }")
			p("if x.%[1]s = old%[1]s; string(b) != old%[1]s { // compared without allocating", f.name)
			p("x.%s = string(b)", f.name)
			p("}")
			p("if err := validateName(%q, x.%s); err != nil { return err }", what, f.name)
			p("}")
			continue
		}
		w, _ := intWireOf(f.wire)
		if f.goType == w.read {
			p("if x.%s, err = r.%s(%q); err != nil { return err }", f.name, w.read, what)
		} else {
			p("v, err := r.%s(%q)", w.read, what)
			p("if err != nil { return err }")
			p("x.%s = %s(v)", f.name, f.goType)
		}
		p("}")
	}
	p("return nil")
	p("}")

	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format generated source: %w", err)
	}
	return src, nil
}

// write generates dir's fields_gen.go.
func write(dir string) error {
	src, err := generate(dir)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, genFile), src, 0o644)
}
