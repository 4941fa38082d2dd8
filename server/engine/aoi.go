package engine

import (
	"math"
	"math/bits"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// grid is a uniform spatial hash over one frame's entities, rebuilt once per
// snapshot tick by a counting sort, so each client's area-of-interest query
// looks at the few cells around its player instead of every entity. It works
// on the quantized positions, so what a client sees is decided exactly.
type grid struct {
	cell       int64 // cell side, quantized units
	cols, rows int64
	r, r2      int64  // view radius and its square, quantized units
	inv        uint64 // 2^64 / cell, rounded up: x/cell is the high word of x*inv (div)
	// half[d] is the half-width of the circle's chord at distance d from its
	// centre, for every distance a row of cells can be from a point of the
	// world: a query reads a row's reach from it instead of taking square
	// roots.
	half []int32
	// With rowBits (build), prefix holds for each row of cells and each
	// column c the bitset of the row's entities in the cells before c, so
	// that the entities of a run of whole cells, a query's inner run, are
	// the XOR of two of them: a word of the view per 64 entities of the
	// world rather than a bit per entity of the run, which is cheaper for
	// the long runs of a crowded world.
	rowBits bool
	words   int      // bitset words per prefix
	prefix  []uint64 // row r, column c: prefix[((r*(cols+1))+c)*words:][:words]
	start   []int32  // cell c holds items[start[c]:start[c+1]]
	items   []int32  // entity indices, by cell, ascending within a cell
	xy      []pos    // xy[k] is the position of entity items[k]: the distance checks read it in order instead of chasing entities
	cellOf  []int32  // scratch: each entity's cell
}

// newGrid covers a world of w x h world units for queries of the given radius.
// A query walks the rows of cells the circle reaches, and a row's cells are
// neighbours in items: the entities of the row's cells wholly inside the
// circle are one run, set without distance checks, and those of the cells
// its edge crosses, at either end, are two runs that are checked. So the
// cells can be small, which narrows the checked band, at no cost per cell:
// an eighth of the radius wide, at most maxGridSide a side. In the default
// arena with 1,600 entities a query walks some 15 rows and checks some 70
// entities to find 250 (with cells half the radius wide, visited one by
// one, it checked some 280).
func newGrid(w, h, radius float64) *grid {
	// No two quantized positions are further apart than maxReach, so a
	// larger radius sees the same as that one.
	rq := int64(min(math.Ceil(radius*game.PosScale), maxReach))
	// Quantized positions are uint16, so the grid never needs to reach further.
	wq := min(int64(math.Ceil(w*game.PosScale)), math.MaxUint16) + 1
	hq := min(int64(math.Ceil(h*game.PosScale)), math.MaxUint16) + 1
	// At least 2 units, so that inv fits in 64 bits.
	cell := max(rq/8, (max(wq, hq)+maxGridSide-1)/maxGridSide, 2)
	g := &grid{
		cell: cell,
		cols: (wq + cell - 1) / cell,
		rows: (hq + cell - 1) / cell,
		r:    rq,
		r2:   rq * rq,
		inv:  math.MaxUint64/uint64(cell) + 1,
	}
	g.start = make([]int32, g.cols*g.rows+1)
	// A row is at most the grid's height, or 65,535, from any position.
	g.half = make([]int32, min(rq, max(g.rows*cell, math.MaxUint16))+1)
	for d := range g.half {
		g.half[d] = int32(isqrt(g.r2 - int64(d)*int64(d)))
	}
	return g
}

// maxReach is more than the distance between any two quantized positions,
// 65,535 * sqrt(2).
const maxReach = 92682

// div is x/g.cell for 0 <= x < 2^32, by a multiplication: a query divides
// by the cell size four times a row, and a division takes several times as
// long. With inv = ceil(2^64/cell) the high word of x*inv is exact for
// every 32-bit x (Lemire, Kaser and Kurz, "Faster remainder by direct
// computation", 2019).
func (g *grid) div(x int64) int64 {
	hi, _ := bits.Mul64(uint64(x), g.inv)
	return int64(hi)
}

// maxGridSide bounds a grid's cells per side, so that a small view radius
// does not make a grid (cleared at each build) of millions of cells.
const maxGridSide = 64

// pos is a quantized position.
type pos struct{ x, y uint16 }

func (g *grid) cellIndex(x, y uint16) int32 {
	cx := min(int64(x)/g.cell, g.cols-1)
	cy := min(int64(y)/g.cell, g.rows-1)
	return int32(cy*g.cols + cx)
}

// build indexes ents (one frame's entities) by cell; with rowBits, it also
// makes the rows' prefix bitsets, which pay for themselves when many
// queries follow.
func (g *grid) build(ents []netcode.Entity, rowBits bool) {
	clear(g.start)
	g.cellOf = grow(g.cellOf, len(ents))
	g.items = grow(g.items, len(ents))
	g.xy = grow(g.xy, len(ents))
	for i := range ents {
		c := g.cellIndex(ents[i].X, ents[i].Y)
		g.cellOf[i] = c
		g.start[c+1]++
	}
	for c := 1; c < len(g.start); c++ {
		g.start[c] += g.start[c-1]
	}
	// Place entities by cell, using start[c] as a cursor and then shifting
	// back, so items stay ascending within a cell without a second array.
	for i, c := range g.cellOf {
		g.items[g.start[c]] = int32(i)
		g.xy[g.start[c]] = pos{ents[i].X, ents[i].Y}
		g.start[c]++
	}
	copy(g.start[1:], g.start[:len(g.start)-1])
	g.start[0] = 0
	g.rowBits = rowBits
	if rowBits {
		g.buildPrefix(len(ents))
	}
}

func (g *grid) buildPrefix(entities int) {
	n := bitsetWords(entities)
	g.words = n
	g.prefix = grow(g.prefix, int(g.rows*(g.cols+1))*n)
	for row := range g.rows {
		at := int(row*(g.cols+1)) * n
		p := bitset(g.prefix[at : at+n])
		clear(p)
		for c := range g.cols {
			next := bitset(g.prefix[at+int(c+1)*n : at+int(c+2)*n])
			copy(next, p)
			cell := row*g.cols + c
			for _, i := range g.items[g.start[cell]:g.start[cell+1]] {
				next.set(int(i))
			}
			p = next
		}
	}
}

// rowBitsMin is how many entities a query's inner run must have, per word
// of a bitset, for the XOR of two prefixes to be cheaper than setting their
// bits one by one: about a word against a third of a word per bit.
const rowBitsMin = 3

// query sets in view the bit of every entity of the frame build saw within
// the view radius of (x, y).
func (g *grid) query(x, y uint16, view bitset) {
	px, py := int64(x), int64(y)
	r := g.r
	cy0, cy1 := g.div(max(py-r, 0)), min(g.div(py+r), g.rows-1)
	for cy := cy0; cy <= cy1; cy++ {
		// No point of the row is nearer than near vertically, so none
		// further than w sideways is within the radius; every point is
		// nearer than far, so all within in sideways are. Distances are
		// whole units, so near > r is near*near > r2.
		y0, y1 := cy*g.cell, cy*g.cell+g.cell-1
		near, far := max(y0-py, py-y1, 0), max(py-y0, y1-py)
		if near > r {
			continue
		}
		w := int64(g.half[near])
		cx0, cx1 := g.div(max(px-w, 0)), min(g.div(px+w), g.cols-1)
		in0, in1 := cx1+1, cx1 // the cells wholly inside: none yet
		if far <= r {
			in := int64(g.half[far])
			// The first cell starting at or after px-in, and the cell
			// before the one holding px+in+1; a cell left of the world
			// is never inside, so the division starts at 0.
			in0 = max(g.div(max(px-in+g.cell-1, 0)), cx0)
			in1 = min(g.div(px+in+1)-1, cx1)
			if in0 > in1 {
				in0, in1 = cx1+1, cx1
			}
		}
		row := cy * g.cols
		a, b := g.start[row+cx0], g.start[row+in0]
		c, d := g.start[row+in1+1], g.start[row+cx1+1]
		g.check(px, py, a, b, view)
		if g.rowBits && int(c-b)*rowBitsMin > g.words {
			at := int(cy*(g.cols+1)) * g.words
			lo := g.prefix[at+int(in0)*g.words:][:g.words]
			hi := g.prefix[at+int(in1+1)*g.words:][:g.words]
			v := view[:len(hi)]
			for w, x := range hi {
				v[w] |= x ^ lo[w]
			}
		} else {
			for _, i := range g.items[b:c] {
				view.set(int(i))
			}
		}
		g.check(px, py, c, d, view)
	}
}

// check sets in view the bits of the entities items[a:b] within the radius
// of (px, py).
func (g *grid) check(px, py int64, a, b int32, view bitset) {
	xy := g.xy[a:b]
	// Branch-free: about half of these entities are in, at random, which a
	// branch would mispredict.
	for k, i := range g.items[a:b] {
		dx, dy := int64(xy[k].x)-px, int64(xy[k].y)-py
		in := uint64(dx*dx+dy*dy-g.r2-1) >> 63 // 1 when within the radius
		view[i>>6] |= in << (uint(i) & 63)
	}
}

// isqrt is the integer square root of v >= 0: the largest n with n*n <= v.
func isqrt(v int64) int64 {
	n := int64(math.Sqrt(float64(v)))
	for n*n > v {
		n--
	}
	for (n+1)*(n+1) <= v {
		n++
	}
	return n
}

// bitset marks entities of one frame by index. A view kept as a bitset over
// its frame costs an eighth of a byte per entity in the world, less than an
// ID list once a view holds more than 1/32 of the world.
type bitset []uint64

func bitsetWords(n int) int { return (n + 63) / 64 }

func (b bitset) set(i int) { b[i>>6] |= 1 << (uint(i) & 63) }

func (b bitset) has(i int) bool { return b[i>>6]>>(uint(i)&63)&1 != 0 }

// orRange ORs the n bits of src from index from into dst from index to, a
// word of dst at a time.
func orRange(dst, src bitset, to, from, n int) {
	for end := to + n; to < end; {
		off := to & 63
		k := min(64-off, end-to) // bits that go into this word of dst
		dst[to>>6] |= src.bits(from, k) << off
		to += k
		from += k
	}
}

// bits returns the k (1 to 64) bits of b from index i, lowest first.
func (b bitset) bits(i, k int) uint64 {
	w, sh := i>>6, uint(i&63)
	v := b[w] >> sh
	if sh != 0 && w+1 < len(b) {
		v |= b[w+1] << (64 - sh)
	}
	if k < 64 {
		v &= 1<<uint(k) - 1
	}
	return v
}

// grow returns s with length n, reusing its array when it is big enough; the
// contents are not kept.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}
