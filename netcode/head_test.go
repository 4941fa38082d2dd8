package netcode

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeSnapshotHead(t *testing.T) {
	full := &Delta{Tick: 70000, Baseline: 0, LastSeq: 12, InputDelay: 2, Changes: []EntityDelta{{Mask: FieldsAll, E: Entity{ID: 3, Kind: 1}}}}
	delta := &Delta{Tick: 9, Baseline: 8, LastSeq: 1 << 31, InputDelay: 65535, Removed: []uint32{4, 5}}
	tests := []struct {
		name    string
		frame   []byte
		want    SnapshotHead
		wantErr error
	}{
		{name: "full snapshot", frame: AppendDelta(nil, full), want: SnapshotHead{Tick: 70000, LastSeq: 12, InputDelay: 2, Changes: 1}},
		{name: "delta", frame: AppendDelta(nil, delta), want: SnapshotHead{Tick: 9, Baseline: 8, LastSeq: 1 << 31, InputDelay: 65535}},
		{name: "a welcome", frame: wireFrame(t, 2, 1, 2), wantErr: ErrMalformed},
		{name: "wrong kind", frame: wireFrame(t, 3, 1, 2, 3, 1, []any{}, []any{}), wantErr: ErrUnknownKind},
		{name: "negative tick", frame: wireFrame(t, 4, -1, 0, 0, 1, []any{}, []any{}), wantErr: ErrInvalidValue},
		{name: "input delay past uint16", frame: wireFrame(t, 4, 1, 0, 0, 65536, []any{}, []any{}), wantErr: ErrInvalidValue},
		{name: "a version 1 snapshot", frame: wireFrame(t, 4, 1, 0, 0, []any{}, []any{}), wantErr: ErrMalformed},
		{name: "truncated head", frame: AppendDelta(nil, delta)[:4], wantErr: ErrMalformed},
		{name: "more changes than bytes", frame: append(AppendSnapshotHead(nil, SnapshotHead{Tick: 1, Changes: 100}), 0x90), wantErr: ErrMalformed},
		{name: "empty", frame: nil, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h SnapshotHead
			err := DecodeSnapshotHead(tt.frame, &h)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				assert.Zero(t, h, "left as it was on error")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, h)
		})
	}
}

func TestDecodeSnapshotHeadAllocatesNothing(t *testing.T) {
	frame := AppendDelta(nil, &Delta{Tick: 5, Baseline: 4, LastSeq: 3, Changes: []EntityDelta{{Mask: FieldsAll, E: Entity{ID: 1, Kind: 1}}}})
	var h SnapshotHead
	allocs := testing.AllocsPerRun(100, func() { _ = DecodeSnapshotHead(frame, &h) })
	assert.Zero(t, allocs)
	assert.Equal(t, uint32(5), h.Tick)
}

// FuzzDecodeSnapshotHead: no panic, errors wrap a sentinel, a head re-encodes
// to itself, and it agrees with DecodeDelta on every frame that decodes whole.
func FuzzDecodeSnapshotHead(f *testing.F) {
	wireFuzzSeed(f, KindSnapshot)
	f.Fuzz(func(t *testing.T, data []byte) {
		var h SnapshotHead
		herr := DecodeSnapshotHead(data, &h)
		var d Delta
		if DecodeDelta(data, &d) == nil {
			require.NoError(t, herr, "the head of a snapshot that decodes whole")
			assert.Equal(t, SnapshotHead{Tick: d.Tick, Baseline: d.Baseline, LastSeq: d.LastSeq, InputDelay: d.InputDelay, Changes: len(d.Changes)}, h)
		}
		if herr != nil {
			wireFuzzErr(t, herr)
			return
		}
		var again SnapshotHead
		b := AppendSnapshotHead(nil, h)
		b = append(b, make([]byte, 4*h.Changes)...) // room for the changes the count promises
		require.NoError(t, DecodeSnapshotHead(b, &again))
		assert.Equal(t, h, again)
	})
}
