package netcode

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

// sliceWriter is an io.Writer appending to b, under the reference encoder.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *sliceWriter) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

// refEncoder is msgpack's own Encoder with compact ints, writing to a fresh
// slice: what the append functions of msgpack.go must match byte for byte.
func refEncoder() (*msgpack.Encoder, *sliceWriter) {
	w := &sliceWriter{}
	enc := msgpack.NewEncoder(w)
	enc.UseCompactInts(true)
	return enc, w
}

// refAppendDelta is AppendDelta as it was written on msgpack.Encoder, kept
// as the reference for the direct encoder. msgpack's methods only fail when
// the writer does, and sliceWriter does not.
func refAppendDelta(d *Delta) []byte {
	enc, w := refEncoder()
	_ = enc.EncodeArrayLen(snapshotLen)
	_ = enc.EncodeUint(uint64(KindSnapshot))
	_ = enc.EncodeUint(uint64(d.Tick))
	_ = enc.EncodeUint(uint64(d.Baseline))
	_ = enc.EncodeUint(uint64(d.LastSeq))
	_ = enc.EncodeUint(uint64(d.InputDelay))
	_ = enc.EncodeArrayLen(len(d.Changes))
	for i := range d.Changes {
		mask, x := d.Changes[i].Mask&FieldsAll, &d.Changes[i].E
		_ = enc.EncodeArrayLen(2 + bits.OnesCount16(mask))
		_ = enc.EncodeUint(uint64(x.ID))
		_ = enc.EncodeUint(uint64(mask))
		for b, f := range entityFields {
			switch {
			case mask&(1<<b) == 0:
			case f.wire == wireName:
				_ = enc.EncodeString(wireField(x, b).String())
			case f.wire == wireInt16:
				_ = enc.EncodeInt(wireFieldInt(x, b))
			default:
				_ = enc.EncodeUint(uint64(wireFieldInt(x, b)))
			}
		}
	}
	_ = enc.EncodeArrayLen(len(d.Removed))
	for _, id := range d.Removed {
		_ = enc.EncodeUint(uint64(id))
	}
	return w.b
}

// primCase is one value written by msgpack's Encoder (ref) and by an append
// function (got).
type primCase struct {
	name string
	ref  func(*msgpack.Encoder) error
	got  func([]byte) []byte
}

// TestAppendPrimitivesMatchMsgpack holds each append function to msgpack's
// Encoder at and around every boundary between forms.
func TestAppendPrimitivesMatchMsgpack(t *testing.T) {
	var ints []int64
	for _, b := range []int64{0, 31, 32, 127, 128, 255, 256, math.MaxInt16, math.MaxUint16, math.MaxInt32, math.MaxUint32, math.MaxInt64} {
		ints = append(ints, b-1, b, b+1, -b-1, -b, -b+1)
	}
	ints = append(ints, math.MinInt64, math.MinInt8, math.MinInt16, math.MinInt32)
	strs := []int{0, 1, 31, 32, 255, 256, math.MaxUint16, math.MaxUint16 + 1}
	arrays := []int{0, 15, 16, math.MaxUint16, math.MaxUint16 + 1, math.MaxInt32}
	var tests []primCase
	for _, v := range ints {
		tests = append(tests, primCase{fmt.Sprintf("int %d", v), func(e *msgpack.Encoder) error { return e.EncodeInt(v) }, func(b []byte) []byte { return appendInt(b, v) }})
		if v >= 0 {
			tests = append(tests, primCase{fmt.Sprintf("uint %d", v), func(e *msgpack.Encoder) error { return e.EncodeUint(uint64(v)) }, func(b []byte) []byte { return appendUint(b, uint64(v)) }})
		}
	}
	tests = append(tests, struct {
		name string
		ref  func(*msgpack.Encoder) error
		got  func([]byte) []byte
	}{"uint max", func(e *msgpack.Encoder) error { return e.EncodeUint(math.MaxUint64) }, func(b []byte) []byte { return appendUint(b, math.MaxUint64) }})
	for _, n := range strs {
		s := strings.Repeat("é", n/2) + strings.Repeat("x", n%2)
		tests = append(tests, primCase{fmt.Sprintf("str of %d bytes", n), func(e *msgpack.Encoder) error { return e.EncodeString(s) }, func(b []byte) []byte { return appendStr(b, s) }})
	}
	for _, n := range arrays {
		tests = append(tests, primCase{fmt.Sprintf("array of %d", n), func(e *msgpack.Encoder) error { return e.EncodeArrayLen(n) }, func(b []byte) []byte { return appendArrayLen(b, n) }})
	}
	for _, f := range []float32{0, -1.5, math.MaxFloat32, float32(math.Inf(-1))} {
		tests = append(tests, primCase{fmt.Sprintf("float32 %v", f), func(e *msgpack.Encoder) error { return e.EncodeFloat32(f) }, func(b []byte) []byte { return appendFloat32(b, f) }})
	}
	for _, v := range []bool{false, true} {
		tests = append(tests, primCase{fmt.Sprintf("bool %v", v), func(e *msgpack.Encoder) error { return e.EncodeBool(v) }, func(b []byte) []byte { return appendBool(b, v) }})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc, w := refEncoder()
			require.NoError(t, tc.ref(enc))
			got := tc.got([]byte{0xff}) // appends, keeping what is there
			require.Equal(t, byte(0xff), got[0])
			assert.Equal(t, w.b, got[1:])
		})
	}
}

// TestAppendDeltaMatchesMsgpackProperty: over random deltas (random worlds
// diffed, and raw random masks, bits outside FieldsAll included), the direct
// encoder writes exactly the bytes the msgpack.Encoder-based one did.
func TestAppendDeltaMatchesMsgpackProperty(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 0xb17e5))
		base := wireRandState(r, 1+r.Uint32N(1<<20), 200)
		cur := wireMutate(r, base, 200)
		raw := Delta{Tick: r.Uint32(), Baseline: r.Uint32(), LastSeq: r.Uint32()}
		for range r.IntN(40) {
			var e Entity
			m := uint16(r.Uint32())
			wireRandFields(r, &e, m)
			e.ID = r.Uint32()
			raw.Changes = append(raw.Changes, EntityDelta{Mask: m, E: e})
		}
		for range r.IntN(20) {
			raw.Removed = append(raw.Removed, r.Uint32())
		}
		for _, tc := range []struct {
			name string
			d    Delta
		}{{"diff", Diff(&base, &cur)}, {"full", Diff(nil, &cur)}, {"raw", raw}} {
			d := tc.d
			d.LastSeq = r.Uint32()
			t.Run(fmt.Sprintf("seed=%d/%s", seed, tc.name), func(t *testing.T) {
				prefix := []byte{1, 2, 3}
				got := AppendDelta(prefix, &d)
				require.Equal(t, prefix, got[:3])
				assert.Equal(t, wireSpacedHex(refAppendDelta(&d)), wireSpacedHex(got[3:]))
			})
		}
	}
}
