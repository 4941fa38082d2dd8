package engine

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// The grid finds exactly what a scan of every entity finds.
func TestGridQueryMatchesScan(t *testing.T) {
	tests := []struct {
		name     string
		w, h     float64
		radius   float64
		entities int
	}{
		{name: "default arena", w: 4000, h: 4000, radius: DefaultViewRadius, entities: 1600},
		{name: "radius larger than the world", w: 1000, h: 1000, radius: 5000, entities: 200},
		{name: "small radius", w: 4000, h: 2000, radius: 37.5, entities: 3000},
		{name: "empty world", w: 4000, h: 4000, radius: 1200, entities: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(tt.entities)))
			ents := make([]netcode.Entity, tt.entities)
			for i := range ents {
				ents[i] = netcode.Entity{ID: uint32(i + 1),
					X: netcode.QuantizePos(rng.Float64() * tt.w), Y: netcode.QuantizePos(rng.Float64() * tt.h)}
			}
			g := newGrid(tt.w, tt.h, tt.radius)
			cfg := Config{AOI: true, ViewRadius: tt.radius}
			for q := range 100 {
				g.build(ents, q%2 == 1) // each way: bit by bit, and runs from the rows' prefixes
				x, y := netcode.QuantizePos(rng.Float64()*tt.w), netcode.QuantizePos(rng.Float64()*tt.h)
				if q == 0 { // a corner
					x, y = 0, 0
				}
				view := make(bitset, bitsetWords(len(ents)))
				g.query(x, y, view)
				got := viewEntities(view, ents)

				probe := append([]netcode.Entity{{ID: 1 << 30, X: x, Y: y}}, ents...)
				want := truthView(probe, 1<<30, cfg)[1:] // the probe sorts first; drop it
				if len(want) == 0 {
					want = nil
				}
				require.Equal(t, want, got, "query at (%d, %d)", x, y)
			}
		})
	}
}

func TestViewRingForgetsOldAndOvergrownViews(t *testing.T) {
	v := newViewRing(4, 2) // 4 views, a snapshot every 2 ticks
	b := v.take(2, 100)
	b.set(99)
	got, ok := v.at(2, 100)
	require.True(t, ok)
	assert.Equal(t, uint64(1)<<35, got[1])
	assert.False(t, v.sent(4))

	for tick := uint32(4); tick <= 10; tick += 2 {
		v.take(tick, 100)
	}
	assert.False(t, v.sent(2), "tick 2 left the ring when tick 10 took its slot")
	assert.True(t, v.sent(10))

	v.take(12, 10_000) // the world grew past the slots
	assert.False(t, v.sent(10), "older views are forgotten when the slots are remade")
	assert.True(t, v.sent(12))
	v.forget(12)
	assert.False(t, v.sent(12))
}

func TestMemberInputQueueAndAcks(t *testing.T) {
	cfg := DefaultConfig()
	cfg.InputQueue = 3
	m := newMember(1, "m", "tok", cfg.resolve(), 8)

	assert.Zero(t, m.queue(netcode.Input{Seq: 1}))
	assert.Equal(t, 1, m.queue(netcode.Input{Seq: 1}), "a repeated seq is dropped")
	assert.Zero(t, m.queue(netcode.Input{Seq: 2}))
	assert.Zero(t, m.queue(netcode.Input{Seq: 3}))
	assert.Equal(t, 1, m.queue(netcode.Input{Seq: 4}), "a full queue drops its oldest")
	for _, want := range []uint32{2, 3, 4} {
		in, ok := m.next()
		require.True(t, ok)
		assert.Equal(t, want, in.Seq)
	}
	_, ok := m.next()
	assert.False(t, ok)

	m.views.take(30, 10)
	m.lastSent = 31
	assert.True(t, m.acknowledge(30))
	assert.Equal(t, uint32(30), m.ack)
	assert.True(t, m.acknowledge(31), "a tick not sent to this client is ignored")
	assert.Equal(t, uint32(30), m.ack)
	assert.False(t, m.acknowledge(32), "a tick in the future is invalid")
	assert.True(t, m.acknowledge(29), "an older ack is ignored")
	assert.Equal(t, uint32(30), m.ack)
}

// viewEntities lists the entities of ents whose bits are set in view.
func viewEntities(view bitset, ents []netcode.Entity) []netcode.Entity {
	var out []netcode.Entity
	for i := range ents {
		if view.has(i) {
			out = append(out, ents[i])
		}
	}
	return out
}

func TestOrRangeCopiesBitsAcrossWords(t *testing.T) {
	src := make(bitset, 4)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range src {
		src[i] = rng.Uint64()
	}
	tests := []struct {
		name        string
		to, from, n int
	}{
		{"one bit", 5, 70, 1},
		{"a word, aligned", 64, 128, 64},
		{"within a word", 3, 9, 40},
		{"across words, shifted up", 10, 60, 130},
		{"across words, shifted down", 60, 10, 130},
		{"to the last bit of src", 0, 200, 56},
		{"nothing", 7, 7, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make(bitset, 4)
			dst.set(255) // bits outside the range are kept
			orRange(dst, src, tt.to, tt.from, tt.n)
			for i := range 256 {
				want := i == 255 || i >= tt.to && i < tt.to+tt.n && src.has(i-tt.to+tt.from)
				require.Equal(t, want, dst.has(i), "bit %d", i)
			}
		})
	}
}
