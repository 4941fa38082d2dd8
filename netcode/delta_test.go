package netcode

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

// wireApplyBoth applies d to base directly and through the wire (AppendDelta,
// DecodeDelta), checks that both give want, and that the decoded delta is the
// masked original.
func wireApplyBoth(t *testing.T, base *State, d *Delta, want State) {
	t.Helper()
	got, err := Apply(base, d)
	require.NoError(t, err)
	assert.Equal(t, want.Tick, got.Tick)
	assert.Equal(t, len(want.Entities), len(got.Entities))
	if len(want.Entities) > 0 {
		assert.Equal(t, want.Entities, got.Entities)
	}

	var dec Delta
	require.NoError(t, DecodeDelta(AppendDelta(nil, d), &dec))
	assert.Equal(t, wireNorm(wireMasked(*d)), wireNorm(dec))
	got, err = Apply(base, &dec)
	require.NoError(t, err)
	assert.Equal(t, want.Tick, got.Tick)
	if len(want.Entities) > 0 {
		assert.Equal(t, want.Entities, got.Entities)
	} else {
		assert.Empty(t, got.Entities)
	}
}

func TestDiffApplyProperty(t *testing.T) {
	const universe = 120
	for seed := range uint64(300) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { wireDiffApplySeed(t, seed, universe) })
	}
}

func wireDiffApplySeed(t *testing.T, seed uint64, universe int) {
	r := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
	base := wireRandState(r, 1+r.Uint32N(1000), universe)
	cur := wireMutate(r, base, universe)
	t.Run("random", func(t *testing.T) {
		d := Diff(&base, &cur)
		assert.Equal(t, cur.Tick, d.Tick)
		assert.Equal(t, base.Tick, d.Baseline)
		for _, c := range d.Changes {
			assert.NotZero(t, c.Mask, "unchanged entities are omitted")
		}
		wireApplyBoth(t, &base, &d, cur)
	})
	t.Run("from nothing", func(t *testing.T) {
		d := Diff(nil, &cur)
		assert.Zero(t, d.Baseline)
		assert.Empty(t, d.Removed)
		wireApplyBoth(t, nil, &d, cur)
	})
	t.Run("identical", func(t *testing.T) {
		same := State{Tick: base.Tick + 1, Entities: base.Entities}
		d := Diff(&base, &same)
		assert.Empty(t, d.Changes)
		assert.Empty(t, d.Removed)
		wireApplyBoth(t, &base, &d, same)
	})
	t.Run("everything removed", func(t *testing.T) {
		empty := State{Tick: base.Tick + 1}
		d := Diff(&base, &empty)
		assert.Len(t, d.Removed, len(base.Entities))
		wireApplyBoth(t, &base, &d, empty)
	})
	t.Run("a chain of deltas", func(t *testing.T) {
		// What a client does: apply each delta to the state it built.
		have, err := Apply(nil, new(Diff(nil, &base)))
		require.NoError(t, err)
		prev := base
		for range 5 {
			next := wireMutate(r, prev, universe)
			var dec Delta
			require.NoError(t, DecodeDelta(AppendDelta(nil, new(Diff(&prev, &next))), &dec))
			require.NoError(t, ApplyInto(&have, new(State{Tick: have.Tick, Entities: append([]Entity(nil), have.Entities...)}), &dec))
			assert.Equal(t, next.Tick, have.Tick)
			assert.Equal(t, len(next.Entities), len(have.Entities))
			if len(next.Entities) > 0 {
				assert.Equal(t, next.Entities, have.Entities)
			}
			prev = next
		}
	})
}

func TestDiffCreatesAndUpdates(t *testing.T) {
	base := State{Tick: 10, Entities: []Entity{
		{ID: 1, Kind: 1, X: 100, Name: "ann"},
		{ID: 3, Kind: 2, X: 5, HP: 3},
		{ID: 4, Kind: 4},
	}}
	cur := State{Tick: 12, Entities: []Entity{
		{ID: 1, Kind: 1, X: 101, Name: "ann", Score: 2}, // X and Score change
		{ID: 2, Kind: 3, X: 7, VX: -3, Owner: 1},        // created
		{ID: 4, Kind: 4},                                // unchanged
		{ID: 9},                                         // created with nothing set
	}}
	d := Diff(&base, &cur)
	assert.Equal(t, uint32(12), d.Tick)
	assert.Equal(t, uint32(10), d.Baseline)
	assert.Equal(t, []uint32{3}, d.Removed)
	var masks []uint16
	for _, c := range d.Changes {
		masks = append(masks, c.Mask)
	}
	assert.Equal(t, []uint16{FieldX | FieldScore, FieldKind | FieldX | FieldVX | FieldOwner, FieldKind}, masks)
	wireApplyBoth(t, &base, &d, cur)

	t.Run("a base at tick 0 diffs as a full snapshot", func(t *testing.T) {
		d := Diff(&State{Entities: base.Entities}, &cur)
		assert.Zero(t, d.Baseline)
		assert.Empty(t, d.Removed)
		assert.Len(t, d.Changes, len(cur.Entities))
	})
}

func TestApplyErrors(t *testing.T) {
	base := State{Tick: 5, Entities: []Entity{{ID: 1}, {ID: 4}, {ID: 6}}}
	change := func(ids ...uint32) []EntityDelta {
		var out []EntityDelta
		for _, id := range ids {
			out = append(out, EntityDelta{Mask: FieldHP, E: Entity{ID: id, HP: 9}})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		base *State
		d    Delta
		want error
	}{
		{"baseline mismatch", &base, Delta{Tick: 7, Baseline: 4}, ErrBaseline},
		{"delta with no base", nil, Delta{Tick: 7, Baseline: 5}, ErrBaseline},
		{"full snapshot onto a base", &base, Delta{Tick: 7}, ErrBaseline},
		{"removal of an id not in base", &base, Delta{Tick: 7, Baseline: 5, Removed: []uint32{4, 5}}, ErrBaseline},
		{"removal past the base", &base, Delta{Tick: 7, Baseline: 5, Removed: []uint32{9}}, ErrBaseline},
		{"removal in a full snapshot", nil, Delta{Tick: 7, Removed: []uint32{1}}, ErrBaseline},
		{"removed id also changed", &base, Delta{Tick: 7, Baseline: 5, Changes: change(4), Removed: []uint32{4}}, ErrMalformed},
		{"removed new id also changed", &base, Delta{Tick: 7, Baseline: 5, Changes: change(5), Removed: []uint32{5}}, ErrMalformed},
		{"changes not ascending", &base, Delta{Tick: 7, Baseline: 5, Changes: change(4, 2)}, ErrMalformed},
		{"changes repeated", &base, Delta{Tick: 7, Baseline: 5, Changes: change(2, 2)}, ErrMalformed},
		{"removed not ascending", &base, Delta{Tick: 7, Baseline: 5, Removed: []uint32{6, 1}}, ErrMalformed},
		{"removed repeated", &base, Delta{Tick: 7, Baseline: 5, Removed: []uint32{1, 1}}, ErrMalformed},
		{"mask outside FieldsAll", &base, Delta{Tick: 7, Baseline: 5, Changes: []EntityDelta{{Mask: 1 << FieldCount, E: Entity{ID: 1}}}}, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := State{Tick: 99, Entities: make([]Entity, 2, 8)}
			err := ApplyInto(&dst, tc.base, &tc.d)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, uint32(99), dst.Tick, "dst.Tick is kept on error")
			assert.Empty(t, dst.Entities, "dst holds no entities on error")
		})
	}
	t.Run("empty base takes a full snapshot", func(t *testing.T) {
		s, err := Apply(&State{Tick: 3}, &Delta{Tick: 4, Changes: change(2)})
		require.NoError(t, err)
		assert.Equal(t, State{Tick: 4, Entities: []Entity{{ID: 2, HP: 9}}}, s)
	})
}

// wireDeltaFrame builds a snapshot frame around the given changes and removals.
func wireDeltaFrame(t *testing.T, changes []any, removed []any) []byte {
	if changes == nil {
		changes = []any{}
	}
	if removed == nil {
		removed = []any{}
	}
	return wireFrame(t, 4, 10, 9, 1, 2, changes, removed)
}

func TestDecodeDeltaErrors(t *testing.T) {
	e := func(vals ...any) []any { return vals }
	ok := e(1, int(FieldX), 5)
	for _, tc := range []struct {
		name    string
		changes []any
		removed []any
		frame   []byte
		want    error
	}{
		{name: "mask 0", changes: e(e(1, 0)), want: ErrMalformed},
		{name: "mask bit outside FieldsAll", changes: e(e(1, 1<<FieldCount, 0)), want: ErrMalformed},
		{name: "too few fields for mask", changes: e(e(1, int(FieldX|FieldY), 5)), want: ErrMalformed},
		{name: "too many fields for mask", changes: e(e(1, int(FieldX), 5, 6)), want: ErrMalformed},
		{name: "changed ids not ascending", changes: e(e(2, int(FieldX), 5), ok), want: ErrMalformed},
		{name: "changed id repeated", changes: e(ok, ok), want: ErrMalformed},
		{name: "removed ids not ascending", removed: e(3, 2), want: ErrMalformed},
		{name: "removed id repeated", removed: e(3, 3), want: ErrMalformed},
		{name: "name too long", changes: e(e(1, int(FieldName), strings.Repeat("n", MaxNameLen+1))), want: ErrMalformed},
		{name: "name not UTF-8", changes: e(e(1, int(FieldName), "\xff")), want: ErrInvalidValue},
		{name: "x over uint16", changes: e(e(1, int(FieldX), 70000)), want: ErrInvalidValue},
		{name: "negative x", changes: e(e(1, int(FieldX), -1)), want: ErrInvalidValue},
		{name: "vx under int16", changes: e(e(1, int(FieldVX), -40000)), want: ErrInvalidValue},
		{name: "kind over uint8", changes: e(e(1, int(FieldKind), 256)), want: ErrInvalidValue},
		{name: "hp over uint8", changes: e(e(1, int(FieldHP), 300)), want: ErrInvalidValue},
		{name: "score over uint32", changes: e(e(1, int(FieldScore), 1<<32)), want: ErrInvalidValue},
		{name: "id over uint32", changes: e(e(1<<32, int(FieldX), 1)), want: ErrInvalidValue},
		{name: "removed id negative", removed: e(-1), want: ErrInvalidValue},
		{name: "float field", changes: e(e(1, int(FieldX), 1.5)), want: ErrMalformed},
		{name: "name as int", changes: e(e(1, int(FieldName), 1)), want: ErrMalformed},
		{name: "entity not an array", changes: e(1), want: ErrMalformed},
		{name: "changes over MaxEntities", frame: wireHex(t, "97 04 01 00 00 01 dc 20 01 90"), want: ErrMalformed},
		{name: "removed over MaxEntities", frame: wireHex(t, "97 04 01 00 00 01 90 dc 20 01"), want: ErrMalformed},
		{name: "wrong kind", frame: wireHex(t, "97 03 01 00 00 01 90 90"), want: ErrUnknownKind},
		{name: "wrong length", frame: wireHex(t, "96 04 01 00 00 01 90"), want: ErrMalformed},
		{name: "a version 1 snapshot", frame: wireHex(t, "96 04 01 00 00 90 90"), want: ErrMalformed},
		{name: "input delay over uint16", frame: wireHex(t, "97 04 01 00 00 ce 00 01 00 00 90 90"), want: ErrInvalidValue},
		{name: "trailing bytes", frame: wireHex(t, "97 04 01 00 00 01 90 90 90"), want: ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			frame := tc.frame
			if frame == nil {
				frame = wireDeltaFrame(t, tc.changes, tc.removed)
			}
			var d Delta
			err := DecodeDelta(frame, &d)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, CloseCode(tc.want), CloseCode(err))
		})
	}
	t.Run("MaxEntities changes decode", func(t *testing.T) {
		cur := State{Tick: 2}
		for id := range uint32(MaxEntities) {
			cur.Entities = append(cur.Entities, Entity{ID: id + 1, Kind: 2})
		}
		var d Delta
		require.NoError(t, DecodeDelta(AppendDelta(nil, new(Diff(nil, &cur))), &d))
		assert.Len(t, d.Changes, MaxEntities)
	})
}

func TestAppendDeltaLayout(t *testing.T) {
	d := Delta{Tick: 300, Baseline: 298, LastSeq: 17,
		Changes: []EntityDelta{
			{Mask: FieldX | FieldVY | FieldName, E: Entity{ID: 5, X: 1000, VY: -16, Name: "ann", HP: 7}},
		},
		Removed: []uint32{9},
	}
	got := AppendDelta(nil, &d)
	// HP is not in the mask, so it is not written.
	want := "97 04 cd 01 2c cd 01 2a 11 00 91 95 05 cd 04 12 cd 03 e8 f0 a3 61 6e 6e 91 09"
	assert.Equal(t, want, wireSpacedHex(got))

	t.Run("mask bits outside FieldsAll are dropped", func(t *testing.T) {
		d := Delta{Tick: 1, Changes: []EntityDelta{{Mask: FieldHP | 1<<15, E: Entity{ID: 1, HP: 3}}}}
		var dec Delta
		require.NoError(t, DecodeDelta(AppendDelta(nil, &d), &dec))
		assert.Equal(t, FieldHP, dec.Changes[0].Mask)
	})
}

func TestDeltaReuseDoesNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := wireRandState(r, 100, 200)
	for i := range base.Entities {
		base.Entities[i].Name = "" // names are the one thing a decode must allocate
	}
	cur := wireMutate(r, base, 200)
	for i := range cur.Entities {
		cur.Entities[i].Name = ""
	}
	var d, dec Delta
	var st State
	buf := make([]byte, 0, 64<<10)
	DiffInto(&d, &base, &cur)
	require.NoError(t, DecodeDelta(AppendDelta(buf, &d), &dec))
	require.NoError(t, ApplyInto(&st, &base, &dec))

	for _, tc := range []struct {
		name string
		pool bool // uses the encoder/decoder pool, which -race empties at random
		run  func()
	}{
		{"DiffInto", false, func() { DiffInto(&d, &base, &cur) }},
		{"AppendDelta", false, func() { buf = AppendDelta(buf[:0], &d) }},
		{"DecodeDelta", true, func() {
			if err := DecodeDelta(buf, &dec); err != nil {
				t.Fatal(err)
			}
		}},
		{"ApplyInto", false, func() {
			if err := ApplyInto(&st, &base, &dec); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.pool && wireRaceEnabled {
				t.Skip("sync.Pool drops items under -race")
			}
			assert.Zero(t, testing.AllocsPerRun(100, tc.run))
		})
	}
}

// TestDiffApplyGameWorld runs the real game and sends every tick's capture
// through the wire against baselines 1, 3 and 30 ticks old and against
// nothing, as a server does for clients with different acks.
func TestDiffApplyGameWorld(t *testing.T) {
	w := game.NewWorld(game.DefaultConfig())
	r := rand.New(rand.NewPCG(11, 12))
	var ids []game.EntityID
	for i := range 12 {
		ids = append(ids, w.AddPlayer(fmt.Sprintf("p%d", i)))
	}
	var history []State
	var d, dec Delta
	var got State
	buf := make([]byte, 0, 64<<10)
	for range 120 {
		var inputs []game.PlayerInput
		for _, id := range ids {
			inputs = append(inputs, game.PlayerInput{ID: id, Input: game.Input{Move: uint8(r.IntN(16)), Aim: r.Float64()*4 - 2, Buttons: uint8(r.IntN(2))}})
		}
		w.Step(inputs)
		cur := State{Tick: w.Tick(), Entities: CaptureWorld(nil, w)}
		for _, age := range []int{0, 1, 3, 30} {
			var base *State
			if age > 0 {
				if len(history) < age {
					continue
				}
				base = &history[len(history)-age]
			}
			DiffInto(&d, base, &cur)
			buf = AppendDelta(buf[:0], &d)
			require.NoError(t, DecodeDelta(buf, &dec))
			require.NoError(t, ApplyInto(&got, base, &dec), "tick %d against %d ticks back", cur.Tick, age)
			require.Equal(t, cur, got, "tick %d against %d ticks back", cur.Tick, age)
		}
		history = append(history, cur)
	}
	assert.NotEmpty(t, history[len(history)-1].Entities)
}
