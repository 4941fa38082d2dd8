package netcode

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/skirmish-game/skirmish/game"
)

// The direct reader is held to msgpack's own Decoder: random valid messages,
// written by Append, by msgpack's Encoder with and without compact ints, and
// widened to 64-bit ints and float64 (every form the reader takes), decode to
// the value msgpack decodes and to the value that was encoded.

// refDecodeDelta decodes a snapshot with msgpack.Decoder's primitives and no
// validation: the reference DecodeDelta is held to on valid frames.
func refDecodeDelta(b []byte) (Delta, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(b))
	var errs []error
	arr := func() int { n, err := dec.DecodeArrayLen(); errs = append(errs, err); return n }
	u64 := func() uint64 { v, err := dec.DecodeUint64(); errs = append(errs, err); return v }
	i64 := func() int64 { v, err := dec.DecodeInt64(); errs = append(errs, err); return v }
	var d Delta
	arr()
	u64() // kind
	d.Tick, d.Baseline, d.LastSeq, d.InputDelay = uint32(u64()), uint32(u64()), uint32(u64()), uint16(u64())
	for range arr() {
		arr()
		ed := EntityDelta{E: Entity{ID: uint32(u64())}, Mask: uint16(u64())}
		for i, f := range entityFields {
			switch {
			case ed.Mask&(1<<i) == 0:
			case f.wire == wireName:
				s, err := dec.DecodeString()
				errs = append(errs, err)
				wireSetFieldValue(&ed.E, i, s)
			case f.wire == wireInt16:
				wireSetFieldInt(&ed.E, i, i64())
			default:
				wireSetFieldInt(&ed.E, i, int64(u64()))
			}
		}
		d.Changes = append(d.Changes, ed)
	}
	for range arr() {
		d.Removed = append(d.Removed, uint32(u64()))
	}
	return d, errors.Join(errs...)
}

// refMarshal is msgpack's reflective encoding of m, with compact ints or with
// each int as wide as its Go type, but for the kind: the wire takes only a
// positive fixint there, so its uint8 form is cut down to one.
func refMarshal(t *testing.T, m any, compact bool) []byte {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.UseCompactInts(compact)
	require.NoError(t, enc.Encode(m))
	b := buf.Bytes()
	if !compact {
		require.Equal(t, byte(mpUint8), b[1], "kind after a fixarray header")
		b = append(b[:1], b[2:]...)
	}
	return b
}

// widen re-encodes a frame with every integer but the kind (a positive
// fixint by contract) as int64 or uint64 and every float as float64, through
// msgpack's generic decoding.
func widen(t *testing.T, frame []byte) []byte {
	dec := msgpack.NewDecoder(bytes.NewReader(frame))
	dec.UseLooseInterfaceDecoding(true)
	top, err := dec.DecodeSlice()
	require.NoError(t, err)
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	require.NoError(t, enc.EncodeArrayLen(len(top)))
	require.NoError(t, buf.WriteByte(frame[1])) // the kind, after a fixarray header
	for _, v := range top[1:] {
		require.NoError(t, enc.Encode(v))
	}
	return buf.Bytes()
}

func randFrom(r *rand.Rand, alphabet string, max int) string {
	b := make([]byte, r.IntN(max+1))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

const (
	roomAlphabet  = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
	tokenAlphabet = roomAlphabet + " !#$%&()*+,./:;<=>?@[]^{|}~"
)

// randMessage returns a random valid message of kind k (Snapshot aside), as
// its decoder returns it.
func randMessage(r *rand.Rand, k Kind) any {
	switch k {
	case KindHello:
		return Hello{Kind: k, Version: ProtocolVersion, Name: wireNames[r.IntN(len(wireNames))],
			Room: randFrom(r, roomAlphabet, MaxRoomLen), Token: randFrom(r, tokenAlphabet, MaxTokenLen)}
	case KindWelcome:
		return Welcome{Kind: k, PlayerID: r.Uint32(), Room: randFrom(r, roomAlphabet, MaxRoomLen),
			TickRate: uint16(r.Uint32()), SnapshotRate: uint16(r.Uint32()), ServerTick: r.Uint32(),
			Token: randFrom(r, tokenAlphabet, MaxTokenLen), WorldW: uint16(r.Uint32()), WorldH: uint16(r.Uint32()),
			Resumed: r.IntN(2) == 0}
	case KindInput:
		aim := (2*r.Float32() - 1) * MaxAim
		if r.IntN(4) == 0 { // integral, as JavaScript encoders send it as an int
			aim = float32(r.IntN(13) - 6)
		}
		return Input{Kind: k, Seq: 1 + r.Uint32N(1<<32-1), Move: uint8(r.Uint32()) & game.MoveMask,
			Aim: aim, Buttons: uint8(r.Uint32()) & game.ButtonsMask, Ack: r.Uint32(), View: uint16(r.Uint32())}
	case KindPing:
		return Ping{Kind: k, ClientTime: int64(r.Uint64())}
	case KindPong:
		return Pong{Kind: k, ClientTime: int64(r.Uint64()), ServerTime: int64(r.Uint64()), ServerTick: r.Uint32()}
	case KindError:
		return Error{Kind: k, Code: uint16(r.Uint32()), Text: randFrom(r, tokenAlphabet, MaxErrorTextLen)}
	case KindBoard:
		// Not nil: msgpack writes a nil slice as nil, which the wire refuses.
		b := Board{Kind: k, Players: uint16(r.Uint32()), Entries: []BoardEntry{}}
		for range r.IntN(MaxBoardEntries + 1) {
			b.Entries = append(b.Entries, BoardEntry{ID: r.Uint32(), Name: wireNames[r.IntN(len(wireNames))], Score: r.Uint32(), Best: r.Uint32(), Bot: r.IntN(2) == 0})
		}
		return b
	}
	panic(fmt.Sprintf("no random message of kind %d", k))
}

// refUnmarshal decodes frame into a new value of m's type with msgpack.
func refUnmarshal(t *testing.T, frame []byte, m any) any {
	p := reflect.New(reflect.TypeOf(m))
	require.NoError(t, msgpack.Unmarshal(frame, p.Interface()))
	return p.Elem().Interface()
}

// normBoard makes an empty Entries nil: msgpack decodes [] to an empty slice.
func normBoard(m any) any {
	if b, ok := m.(Board); ok && len(b.Entries) == 0 {
		b.Entries = nil
		return b
	}
	return m
}

func TestDecodeMatchesMsgpackProperty(t *testing.T) {
	for k := KindHello; k <= KindBoard; k++ {
		if k == KindSnapshot {
			continue
		}
		t.Run(fmt.Sprintf("kind=%d", k), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(k), 0xdec0de))
			for i := range 200 {
				m := randMessage(r, k)
				appended, err := Append(nil, m)
				require.NoError(t, err)
				frames := map[string][]byte{
					"append":          appended,
					"msgpack compact": refMarshal(t, m, true),
					"msgpack wide":    refMarshal(t, m, false),
				}
				for name, frame := range frames {
					assert.Equal(t, normBoard(refUnmarshal(t, frame, m)), normBoard(m), "%d/%s: % x", i, name, frame)
				}
				// Forms msgpack's typed decoding refuses for a float32 field.
				frames["widened"] = widen(t, appended)
				if in, ok := m.(Input); ok && in.Aim == float32(int(in.Aim)) {
					frames["integer aim"] = wireFrame(t, 3, in.Seq, in.Move, int(in.Aim), in.Buttons, in.Ack, in.View)
				}
				for name, frame := range frames {
					got, err := wireDecoders[k](frame)
					require.NoError(t, err, "%d/%s: % x", i, name, frame)
					assert.Equal(t, normBoard(m), normBoard(got), "%d/%s: % x", i, name, frame)
				}
			}
		})
	}
}

func TestDecodeDeltaMatchesMsgpackProperty(t *testing.T) {
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 0xde17a))
		base := wireRandState(r, 1+r.Uint32N(1<<20), 100)
		cur := wireMutate(r, base, 100)
		for _, tc := range []struct {
			name string
			d    Delta
		}{{"diff", Diff(&base, &cur)}, {"full", Diff(nil, &cur)}} {
			d := tc.d
			d.LastSeq = r.Uint32()
			d.InputDelay = uint16(r.Uint32())
			want := wireNorm(wireMasked(d))
			appended := AppendDelta(nil, &d)
			frames := map[string][]byte{
				"append":          appended,
				"msgpack compact": refAppendDelta(&d),
				"widened":         widen(t, appended),
			}
			for name, frame := range frames {
				t.Run(fmt.Sprintf("seed=%d/%s/%s", seed, tc.name, name), func(t *testing.T) {
					ref, err := refDecodeDelta(frame)
					require.NoError(t, err)
					var got Delta
					require.NoError(t, DecodeDelta(frame, &got))
					assert.Equal(t, want, wireNorm(got))
					assert.Equal(t, wireNorm(ref), wireNorm(got))
				})
			}
		}
	}
}

// TestDecodeDeltaReusesNames: decoding into a Delta that holds the same names
// at the same places allocates nothing, and a changed name is not confused
// with the one it replaces.
func TestDecodeDeltaReusesNames(t *testing.T) {
	d := Delta{Tick: 2, Changes: []EntityDelta{
		{Mask: FieldKind | FieldName, E: Entity{ID: 1, Kind: game.KindPlayer, Name: "ann"}},
		{Mask: FieldX, E: Entity{ID: 2, X: 300}},
		{Mask: FieldName, E: Entity{ID: 3, Name: "Zoë"}},
	}}
	frame := AppendDelta(nil, &d)
	var got Delta
	require.NoError(t, DecodeDelta(frame, &got))
	assert.Equal(t, d, got)
	if !wireRaceEnabled {
		allocs := testing.AllocsPerRun(100, func() {
			if err := DecodeDelta(frame, &got); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "allocations per decode of unchanged names")
	}

	renamed := d
	renamed.Changes = append([]EntityDelta(nil), d.Changes...)
	renamed.Changes[0].E.Name = "bob"
	renamed.Changes[2].E.Name = strings.Repeat("z", MaxNameLen)
	require.NoError(t, DecodeDelta(AppendDelta(nil, &renamed), &got))
	assert.Equal(t, renamed, got)
}
