package netcode

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every fuzz target: no panic, every error wraps one of the package's
// sentinels, and whatever decodes re-encodes to something that decodes to the
// same value.

func wireFuzzSeed(f *testing.F, kind Kind) {
	for _, m := range wireMessages {
		if m.kind == kind {
			b, err := Append(nil, m.msg)
			require.NoError(f, err)
			f.Add(b)
		}
	}
	for _, c := range wireBadCases(f) {
		if c.kind == kind {
			if c.frame == nil {
				c.frame = wireFrame(f, c.vals...)
			}
			f.Add(c.frame)
		}
	}
}

func wireFuzzErr(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnknownKind) && !errors.Is(err, ErrInvalidValue) {
		t.Fatalf("error wraps no sentinel: %v", err)
	}
}

// wireFuzzRoundTrip decodes data with decode; if that works, it re-encodes
// the message with Append and checks that it decodes to the same value.
func wireFuzzRoundTrip[M any](t *testing.T, data []byte, decode func([]byte, *M) error) {
	var m M
	if err := decode(data, &m); err != nil {
		wireFuzzErr(t, err)
		return
	}
	b, err := Append(nil, &m)
	require.NoError(t, err, "a decoded message must re-encode")
	var again M
	require.NoError(t, decode(b, &again), "a re-encoded message must decode")
	assert.Equal(t, m, again)
}

func FuzzDecodeHello(f *testing.F) {
	wireFuzzSeed(f, KindHello)
	f.Fuzz(func(t *testing.T, data []byte) { wireFuzzRoundTrip(t, data, DecodeHello) })
}

func FuzzDecodeInput(f *testing.F) {
	wireFuzzSeed(f, KindInput)
	f.Fuzz(func(t *testing.T, data []byte) { wireFuzzRoundTrip(t, data, DecodeInput) })
}

func FuzzDecodePing(f *testing.F) {
	wireFuzzSeed(f, KindPing)
	f.Fuzz(func(t *testing.T, data []byte) { wireFuzzRoundTrip(t, data, DecodePing) })
}

func FuzzDecodeWelcome(f *testing.F) {
	wireFuzzSeed(f, KindWelcome)
	f.Fuzz(func(t *testing.T, data []byte) { wireFuzzRoundTrip(t, data, DecodeWelcome) })
}

func FuzzDecodePong(f *testing.F) {
	wireFuzzSeed(f, KindPong)
	f.Fuzz(func(t *testing.T, data []byte) { wireFuzzRoundTrip(t, data, DecodePong) })
}

func FuzzDecodeError(f *testing.F) {
	wireFuzzSeed(f, KindError)
	f.Fuzz(func(t *testing.T, data []byte) { wireFuzzRoundTrip(t, data, DecodeError) })
}

func FuzzDecodeBoard(f *testing.F) {
	wireFuzzSeed(f, KindBoard)
	f.Fuzz(func(t *testing.T, data []byte) { wireFuzzRoundTrip(t, data, DecodeBoard) })
}

func FuzzDecodeDelta(f *testing.F) {
	wireFuzzSeed(f, KindSnapshot)
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Delta
		if err := DecodeDelta(data, &d); err != nil {
			wireFuzzErr(t, err)
			return
		}
		var again Delta
		require.NoError(t, DecodeDelta(AppendDelta(nil, &d), &again))
		assert.Equal(t, wireNorm(d), wireNorm(again))

		// Applied as a full snapshot, a decoded delta either fits or is
		// refused with a sentinel; it never panics.
		var s State
		err := ApplyInto(&s, nil, &d)
		if d.Baseline == 0 && len(d.Removed) == 0 {
			require.NoError(t, err)
			assert.Len(t, s.Entities, len(d.Changes))
		} else if err != nil && !errors.Is(err, ErrBaseline) {
			t.Fatalf("apply: %v", err)
		}
	})
}

func FuzzPeekKind(f *testing.F) {
	for k := range Kind(len(wireDecoders) + 1) {
		wireFuzzSeed(f, k)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := PeekKind(data)
		if err != nil {
			wireFuzzErr(t, err)
		} else {
			assert.True(t, k >= KindHello && k <= KindBoard, "kind %d", k)
		}
		for kind, decode := range wireDecoders {
			if _, derr := decode(data); derr == nil {
				require.NoError(t, err, "PeekKind refuses a frame that decodes as kind %d", kind)
				assert.Equal(t, kind, k)
			}
		}
	})
}
