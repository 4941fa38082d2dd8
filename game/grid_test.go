package game

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGridQueryFindsEverythingInTheBox(t *testing.T) {
	tests := []struct {
		name   string
		points int
		box    float64 // half the box's edge
	}{
		{"empty", 0, 50},
		{"sparse small boxes", 50, 10},
		{"dense cell-sized boxes", 2000, cellSize},
		{"boxes across the world", 300, 3000},
	}
	r := rng{state: 99}
	g := newGrid(1000, 700, cellSize)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pts := make([]Vec, tt.points)
			g.reset()
			for i := range pts {
				// Some fall outside the world: they land in the border cells.
				pts[i] = Vec{r.between(-50, 1050), r.between(-50, 750)}
				g.add(pts[i], int32(i))
			}
			g.build()
			var got []int32
			for range 200 {
				c := Vec{r.between(0, 1000), r.between(0, 700)}
				lo, hi := c.Sub(Vec{tt.box, tt.box}), c.Add(Vec{tt.box, tt.box})
				got = g.query(lo, hi, got[:0])
				found := make([]bool, len(pts))
				for _, ref := range got {
					require.False(t, found[ref], "ref %d returned twice", ref)
					found[ref] = true
				}
				for i, p := range pts {
					if p.X >= lo.X && p.X <= hi.X && p.Y >= lo.Y && p.Y <= hi.Y && !found[i] {
						t.Fatalf("point %d at %v in box %v-%v not found", i, p, lo, hi)
					}
				}
			}
		})
	}
}

func TestGridKeepsAddOrderWithinACell(t *testing.T) {
	g := newGrid(400, 400, cellSize)
	for i := range 5 {
		g.add(Vec{10 + float64(i), 10}, int32(10-i))
	}
	g.build()
	assert.Equal(t, []int32{10, 9, 8, 7, 6}, g.query(Vec{0, 0}, Vec{50, 50}, nil))
}

func TestGridRebuildDoesNotAllocate(t *testing.T) {
	g := newGrid(4000, 4000, cellSize)
	r := rng{state: 1}
	pts := make([]Vec, 1000)
	for i := range pts {
		pts[i] = Vec{r.between(0, 4000), r.between(0, 4000)}
	}
	var found []int32
	rebuild := func() {
		g.reset()
		for i, p := range pts {
			g.add(p, int32(i))
		}
		g.build()
		found = g.query(Vec{1000, 1000}, Vec{1500, 1500}, found[:0])
	}
	rebuild()
	assert.Zero(t, testing.AllocsPerRun(20, rebuild))
}
