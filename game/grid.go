package game

import "math"

// grid is a uniform spatial hash rebuilt every tick: each entity goes into the
// one cell holding its centre, and a query returns everything in the cells a
// box overlaps, so the box must be grown by the radii of what it looks for.
// Its buffers are reused, so a steady-state rebuild does not allocate.
type grid struct {
	inv        float64 // 1 / cell size
	cols, rows int
	// Cell c holds items[start[c]:start[c+1]]; cells in one row are contiguous.
	start []int32
	items []int32
	cells []int32 // cell of each added ref, in add order
	refs  []int32
}

func newGrid(width, height, cell float64) grid {
	cols := max(1, int(math.Ceil(width/cell)))
	rows := max(1, int(math.Ceil(height/cell)))
	return grid{inv: 1 / cell, cols: cols, rows: rows, start: make([]int32, cols*rows+1)}
}

func (g *grid) reset() {
	g.cells = g.cells[:0]
	g.refs = g.refs[:0]
}

func (g *grid) add(p Vec, ref int32) {
	g.cells = append(g.cells, int32(g.row(p.Y)*g.cols+g.col(p.X)))
	g.refs = append(g.refs, ref)
}

// build sorts the added refs by cell (a counting sort that keeps add order
// within a cell, so queries are deterministic).
func (g *grid) build() {
	clear(g.start)
	for _, c := range g.cells {
		g.start[c]++
	}
	n := len(g.start) - 1
	for c := 1; c < n; c++ {
		g.start[c] += g.start[c-1]
	}
	g.start[n] = int32(len(g.refs))
	if cap(g.items) < len(g.refs) {
		g.items = make([]int32, len(g.refs), cap(g.refs))
	}
	g.items = g.items[:len(g.refs)]
	// start[c] is now the end of cell c; filling backwards leaves it at the start.
	for i := len(g.cells) - 1; i >= 0; i-- {
		c := g.cells[i]
		g.start[c]--
		g.items[g.start[c]] = g.refs[i]
	}
}

// query appends to dst the refs in every cell the box [lo, hi] overlaps.
func (g *grid) query(lo, hi Vec, dst []int32) []int32 {
	c0, c1 := g.col(lo.X), g.col(hi.X)
	for r, r1 := g.row(lo.Y), g.row(hi.Y); r <= r1; r++ {
		base := r * g.cols
		dst = append(dst, g.items[g.start[base+c0]:g.start[base+c1+1]]...)
	}
	return dst
}

func (g *grid) col(x float64) int { return cellIndex(x*g.inv, g.cols) }
func (g *grid) row(y float64) int { return cellIndex(y*g.inv, g.rows) }

func cellIndex(f float64, n int) int {
	if !(f >= 0) { // also NaN
		return 0
	}
	return min(int(f), n-1)
}
