package netcode

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFindEntity(t *testing.T) {
	es := []Entity{{ID: 2}, {ID: 5}, {ID: 9}, {ID: 1<<32 - 1}}
	tests := []struct {
		name     string
		entities []Entity
		id       uint32
		wantI    int
		wantOK   bool
	}{
		{name: "empty", entities: nil, id: 5, wantI: 0},
		{name: "first", entities: es, id: 2, wantI: 0, wantOK: true},
		{name: "middle", entities: es, id: 5, wantI: 1, wantOK: true},
		{name: "largest id", entities: es, id: 1<<32 - 1, wantI: 3, wantOK: true},
		{name: "below all", entities: es, id: 1, wantI: 0},
		{name: "between", entities: es, id: 6, wantI: 2},
		{name: "above all", entities: es[:3], id: 10, wantI: 3},
		{name: "zero id absent", entities: es, id: 0, wantI: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, ok := FindEntity(tt.entities, tt.id)
			assert.Equal(t, tt.wantI, i, "index")
			assert.Equal(t, tt.wantOK, ok, "found")
		})
	}
}
