package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// netcodeDir is the package the generator writes for, from this directory.
const netcodeDir = "../.."

func TestGeneratedFileIsCurrent(t *testing.T) {
	want, err := generate(netcodeDir)
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(netcodeDir, genFile))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "netcode/%s is stale: run go generate ./netcode", genFile)
}

// A package of two files, Entity and the table, for the cases below.
const (
	testEntity = `package netcode

import "example.com/game"

type Entity struct {
	ID   uint32
	Kind game.Kind
	X    uint16
	Name string
}
`
	testTable = `package netcode

var entityFields = [...]entityField{
	{name: "Kind", wire: wireUint8},
	{name: "X", wire: wireUint16},
	{name: "Name", wire: wireName},
}
`
)

func TestGenerate(t *testing.T) {
	tests := []struct {
		name    string
		entity  string
		table   string
		wantErr string // "" = generates
	}{
		{name: "well formed", entity: testEntity, table: testTable},
		{
			name:    "entity field without a row",
			entity:  testEntity[:len(testEntity)-2] + "\tHP uint8\n}\n",
			table:   testTable,
			wantErr: "no row for Entity.HP",
		},
		{
			name:    "row without an entity field",
			entity:  testEntity,
			table:   testTable[:len(testTable)-2] + "\t{name: \"HP\", wire: wireUint8},\n}\n",
			wantErr: "Entity has no field HP",
		},
		{
			name:    "row twice",
			entity:  testEntity,
			table:   testTable[:len(testTable)-2] + "\t{name: \"X\", wire: wireUint16},\n}\n",
			wantErr: "X twice",
		},
		{
			name:    "ID as a field",
			entity:  testEntity,
			table:   testTable[:len(testTable)-2] + "\t{name: \"ID\", wire: wireUint32},\n}\n",
			wantErr: "ID is the key",
		},
		{
			name:    "unknown wire type",
			entity:  testEntity,
			table:   "package netcode\n\nvar entityFields = [...]entityField{{name: \"Kind\", wire: wireUint8}, {name: \"X\", wire: wireFloat}, {name: \"Name\", wire: wireName}}\n",
			wantErr: "unknown wire type wireFloat",
		},
		{
			name:    "string field with an integer wire type",
			entity:  testEntity,
			table:   "package netcode\n\nvar entityFields = [...]entityField{{name: \"Kind\", wire: wireUint8}, {name: \"X\", wire: wireUint16}, {name: \"Name\", wire: wireUint8}}\n",
			wantErr: "wire type wireUint8 for a field of type string",
		},
		{
			name:    "unkeyed row",
			entity:  testEntity,
			table:   "package netcode\n\nvar entityFields = [...]entityField{{\"Kind\", wireUint8}}\n",
			wantErr: "want keyed fields",
		},
		{name: "no table", entity: testEntity, table: "package netcode\n", wantErr: "no var entityFields"},
		{name: "no entity", entity: "package netcode\n", table: testTable, wantErr: "no type Entity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "state.go"), []byte(tt.entity), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "fields.go"), []byte(tt.table), 0o644))
			src, err := generate(dir)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			s := string(src)
			assert.Contains(t, s, "import (\n\t\"example.com/game\"\n\t\"math/bits\"\n)", "the import a field's type needs")
			assert.Contains(t, s, "FieldKind uint16 = 1 << iota\n\tFieldX\n\tFieldName\n", "one bit per row, in table order")
			assert.Contains(t, s, "x.Kind = game.Kind(v)", "a named type is converted from what the reader returns")
			assert.Contains(t, s, `if x.X, err = r.uint16("entity x"); err != nil`, "a plain type is read in place")
			assert.Contains(t, s, `validateName("entity name", x.Name)`, "a name is validated")
		})
	}
}

func TestWriteIgnoresItsOwnOutput(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "state.go"), []byte(testEntity), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fields.go"), []byte(testTable), 0o644))
	// A stale output that no longer parses must not stop regeneration.
	require.NoError(t, os.WriteFile(filepath.Join(dir, genFile), []byte("package netcode\nfunc {"), 0o644))
	require.NoError(t, write(dir))
	first, err := os.ReadFile(filepath.Join(dir, genFile))
	require.NoError(t, err)
	require.NoError(t, write(dir))
	again, err := os.ReadFile(filepath.Join(dir, genFile))
	require.NoError(t, err)
	assert.Equal(t, string(first), string(again), "generating is deterministic")
}
