package netcode

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

// wireDecoders decodes a frame of a given kind into a fresh message value.
var wireDecoders = map[Kind]func([]byte) (any, error){
	KindHello:    func(b []byte) (any, error) { var m Hello; err := DecodeHello(b, &m); return m, err },
	KindWelcome:  func(b []byte) (any, error) { var m Welcome; err := DecodeWelcome(b, &m); return m, err },
	KindInput:    func(b []byte) (any, error) { var m Input; err := DecodeInput(b, &m); return m, err },
	KindSnapshot: func(b []byte) (any, error) { var m Delta; err := DecodeDelta(b, &m); return m, err },
	KindPing:     func(b []byte) (any, error) { var m Ping; err := DecodePing(b, &m); return m, err },
	KindPong:     func(b []byte) (any, error) { var m Pong; err := DecodePong(b, &m); return m, err },
	KindError:    func(b []byte) (any, error) { var m Error; err := DecodeError(b, &m); return m, err },
	KindBoard:    func(b []byte) (any, error) { var m Board; err := DecodeBoard(b, &m); return m, err },
}

// wireMessages has valid messages of every kind, edge values included.
var wireMessages = []struct {
	name string
	kind Kind
	msg  any // a value with Kind set, as its decoder returns it
}{
	{"hello/new", KindHello, Hello{Kind: KindHello, Version: ProtocolVersion, Name: "ann"}},
	{"hello/full", KindHello, Hello{Kind: KindHello, Version: ProtocolVersion, Name: "Zoë 小明", Room: "Arena_1-b", Token: strings.Repeat("t", MaxTokenLen)}},
	{"hello/max name", KindHello, Hello{Kind: KindHello, Version: ProtocolVersion, Name: strings.Repeat("é", MaxNameLen/2), Room: strings.Repeat("r", MaxRoomLen)}},
	{"hello/ticket", KindHello, Hello{Kind: KindHello, Version: ProtocolVersion, Room: "main", Ticket: "eyJhbGciOiJIUzI1NiJ9.e30.sig"}},
	{"hello/other version", KindHello, Hello{Kind: KindHello, Version: 2}},
	{"welcome", KindWelcome, Welcome{Kind: KindWelcome, PlayerID: 42, Room: "main", TickRate: 30, SnapshotRate: 30, ServerTick: 123456, Token: "0123456789abcdef", WorldW: 4000, WorldH: 4000}},
	{"welcome/resumed", KindWelcome, Welcome{Kind: KindWelcome, PlayerID: math.MaxUint32, TickRate: 128, SnapshotRate: 64, ServerTick: math.MaxUint32, WorldW: math.MaxUint16, WorldH: 1, Resumed: true}},
	{"input", KindInput, Input{Kind: KindInput, Seq: 1, Move: 0b1001, Aim: 1.5, Buttons: 1, Ack: 0}},
	{"input/extremes", KindInput, Input{Kind: KindInput, Seq: math.MaxUint32, Move: 0x0f, Aim: -MaxAim, Ack: math.MaxUint32}},
	{"input/max aim", KindInput, Input{Kind: KindInput, Seq: 200, Aim: MaxAim, Ack: 199}},
	{"ping", KindPing, Ping{Kind: KindPing, ClientTime: 1_700_000_000_000_000}},
	{"ping/negative", KindPing, Ping{Kind: KindPing, ClientTime: math.MinInt64}},
	{"pong", KindPong, Pong{Kind: KindPong, ClientTime: 5, ServerTime: math.MaxInt64, ServerTick: 77}},
	{"error", KindError, Error{Kind: KindError, Code: CloseProtocolError, Text: "protocol version 2, server speaks 1"}},
	{"error/max text", KindError, Error{Kind: KindError, Code: CloseSlowConsumer, Text: strings.Repeat("x", MaxErrorTextLen)}},
	{"board", KindBoard, Board{Kind: KindBoard, Players: 3, Entries: []BoardEntry{{ID: 7, Name: "ann", Score: 120, Best: 300}, {ID: 2, Name: "Zoë [bot]", Score: 0, Bot: true}}}},
	{"board/full", KindBoard, Board{Kind: KindBoard, Players: math.MaxUint16, Entries: make([]BoardEntry, MaxBoardEntries)}},
	{"board/empty", KindBoard, Board{Kind: KindBoard}},
	{"snapshot", KindSnapshot, Delta{Tick: 9, Baseline: 7, LastSeq: 3,
		Changes: []EntityDelta{
			{Mask: FieldsAll, E: Entity{ID: 1, Kind: 1, X: 65535, Y: 1, VX: -32768, VY: 32767, Angle: 9, HP: 255, Score: math.MaxUint32, Timer: 3, Owner: 8, Name: "abcdefghijklmnop"}},
			{Mask: FieldVX | FieldName, E: Entity{ID: 5, VX: -1}},
		},
		Removed: []uint32{2, 3, math.MaxUint32}}},
	{"snapshot/empty", KindSnapshot, Delta{Tick: 1}},
}

func TestAppendDecodeRoundTrip(t *testing.T) {
	for _, tc := range wireMessages {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Append(nil, tc.msg)
			require.NoError(t, err)
			k, err := PeekKind(b)
			require.NoError(t, err)
			assert.Equal(t, tc.kind, k)
			got, err := wireDecoders[tc.kind](b)
			require.NoError(t, err)
			if d, ok := got.(Delta); ok {
				assert.Equal(t, wireNorm(tc.msg.(Delta)), wireNorm(d))
				return
			}
			if bd, ok := got.(Board); ok && len(bd.Entries) == 0 {
				bd.Entries = tc.msg.(Board).Entries
				got = bd
			}
			assert.Equal(t, tc.msg, got)
		})
	}
}

// TestAppendMatchesMsgpack holds Append's field-by-field encoding to msgpack's
// own reflective encoding of the as_array structs with compact ints: the
// bytes are the contract, the structs' tags are their definition.
func TestAppendMatchesMsgpack(t *testing.T) {
	for _, tc := range wireMessages {
		if tc.kind == KindSnapshot {
			continue // Delta is not an as_array struct; see TestAppendDeltaLayout
		}
		t.Run(tc.name, func(t *testing.T) {
			b, err := Append(nil, tc.msg)
			require.NoError(t, err)
			var sw sliceWriter
			enc := msgpack.NewEncoder(&sw)
			enc.UseCompactInts(true)
			require.NoError(t, enc.Encode(tc.msg))
			if bd, ok := tc.msg.(Board); ok && bd.Entries == nil {
				sw.b[len(sw.b)-1] = 0x90 // msgpack writes a nil slice as nil; Append as []
			}
			assert.Equal(t, wireSpacedHex(sw.b), wireSpacedHex(b))
		})
	}
}

func TestAppendKindAndForms(t *testing.T) {
	t.Run("zero kind is filled in", func(t *testing.T) {
		want, err := Append(nil, Ping{Kind: KindPing, ClientTime: 9})
		require.NoError(t, err)
		got, err := Append(nil, Ping{ClientTime: 9})
		require.NoError(t, err)
		assert.Equal(t, want, got)
	})
	t.Run("pointer and value encode alike", func(t *testing.T) {
		in := Input{Seq: 4, Aim: 1}
		a, err := Append(nil, in)
		require.NoError(t, err)
		b, err := Append(nil, &in)
		require.NoError(t, err)
		assert.Equal(t, a, b)
		assert.Zero(t, in.Kind, "Append must not write to the caller's message")
	})
	t.Run("appends after dst", func(t *testing.T) {
		b, err := Append([]byte{0xff}, &Ping{ClientTime: 1})
		require.NoError(t, err)
		assert.Equal(t, []byte{0xff, 0x92, 0x05, 0x01}, b)
	})
	t.Run("wrong kind", func(t *testing.T) {
		b, err := Append([]byte{1}, &Hello{Kind: KindInput, Version: 1})
		require.ErrorIs(t, err, ErrInvalidValue)
		assert.Equal(t, []byte{1}, b, "dst is returned unchanged on error")
	})
	t.Run("unknown type", func(t *testing.T) {
		_, err := Append(nil, 42)
		require.ErrorIs(t, err, ErrUnknownKind)
	})
}

func TestAppendValidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  any
		want error
	}{
		{"hello name too long", Hello{Version: 1, Name: strings.Repeat("n", MaxNameLen+1)}, ErrMalformed},
		{"hello room charset", Hello{Version: 1, Room: "a room"}, ErrInvalidValue},
		{"input nan aim", Input{Seq: 1, Aim: float32(math.NaN())}, ErrInvalidValue},
		{"input seq 0", Input{}, ErrInvalidValue},
		{"welcome token too long", Welcome{Token: strings.Repeat("t", MaxTokenLen+1)}, ErrMalformed},
		{"error text too long", Error{Text: strings.Repeat("t", MaxErrorTextLen+1)}, ErrMalformed},
		{"board too many entries", Board{Entries: make([]BoardEntry, MaxBoardEntries+1)}, ErrMalformed},
		{"board bad name", Board{Entries: []BoardEntry{{Name: "a\nb"}}}, ErrInvalidValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Append(nil, tc.msg)
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// TestDecodeForeignEncodings: a client in another language may pick other
// (valid) msgpack encodings than ours; the decoders take them.
func TestDecodeForeignEncodings(t *testing.T) {
	t.Run("fixed width ints", func(t *testing.T) {
		// Every int but the kind (always a positive fixint) in a wider form
		// than needed: seq uint32, move uint8, buttons int8, ack uint16, view uint32.
		b := wireHex(t, "97 03 ce00000007 cc01 ca3f000000 d000 cd0006 ce00000101")
		var in Input
		require.NoError(t, DecodeInput(b, &in))
		assert.Equal(t, Input{Kind: KindInput, Seq: 7, Move: 1, Aim: 0.5, Ack: 6, View: 257}, in)
	})
	t.Run("what @msgpack/msgpack writes (PROTOCOL.md)", func(t *testing.T) {
		// encode([3, 1, 9, -0.7853982, 1, 1230, 544]): the aim as a float64.
		var in Input
		require.NoError(t, DecodeInput(wireHex(t, "97 03 01 09 cb bf e9 21 fb 67 ea ca e5 01 cd 04 ce cd 02 20"), &in))
		assert.Equal(t, Input{Kind: KindInput, Seq: 1, Move: 9, Aim: -0.7853982, Buttons: 1, Ack: 1230, View: 544}, in)
	})
	for _, tc := range []struct {
		name string
		aim  any
		want float32
	}{
		{"float64 aim", 1.25, 1.25},
		{"integer aim (what JavaScript sends for 0)", 0, 0},
		{"negative integer aim", -3, -3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in Input
			require.NoError(t, DecodeInput(wireFrame(t, 3, 1, 0, tc.aim, 0, 0, 0), &in))
			assert.Equal(t, tc.want, in.Aim)
		})
	}
}

func TestDecodeHelloOtherVersion(t *testing.T) {
	for _, tc := range []struct {
		name  string
		frame []any
		want  uint16
	}{
		{"newer shape", []any{1, 3, "ann", "", "", "", "something new", 9}, 3},
		{"version 1, without a ticket", []any{1, 1, "ann", "", ""}, 1},
		{"bare", []any{1, 0}, 0},
		{"huge version saturates", []any{1, 1 << 40, 1.5}, math.MaxUint16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := Hello{Name: "stale"}
			require.NoError(t, DecodeHello(wireFrame(t, tc.frame...), &h))
			assert.Equal(t, Hello{Kind: KindHello, Version: tc.want}, h)
		})
	}
}

func TestPeekKind(t *testing.T) {
	for _, tc := range []struct {
		name string
		hex  string
		want Kind
		err  error
	}{
		{"fixarray", "92 05 01", KindPing, nil},
		{"array16", "dc 00 01 08", KindBoard, nil},
		{"array32", "dd 00 00 00 01 03", KindInput, nil},
		{"only the kind is looked at", "9f 01", KindHello, nil},
		{"unknown kind", "91 09", 9, ErrUnknownKind},
		{"kind 0", "91 00", 0, ErrUnknownKind},
		{"kind as uint8", "91 cc 01", 0, ErrMalformed},
		{"negative kind", "91 ff", 0, ErrMalformed},
		{"empty frame", "", 0, ErrMalformed},
		{"empty array", "90", 0, ErrMalformed},
		{"no kind", "93", 0, ErrMalformed},
		{"not an array", "81 01 02", 0, ErrMalformed},
		{"truncated array16", "dc 00", 0, ErrMalformed},
		{"text", "68 65 6c 6c 6f", 0, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := PeekKind(wireHex(t, tc.hex))
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.want, k)
		})
	}
}

func TestCloseCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want uint16
	}{
		{"nil", nil, CloseNormal},
		{"malformed", ErrMalformed, CloseBadMessage},
		{"unknown kind", ErrUnknownKind, CloseUnknownKind},
		{"invalid value", ErrInvalidValue, CloseInvalidValue},
		{"baseline", ErrBaseline, CloseBadMessage},
		{"wrapped", DecodeInput([]byte{0x97, 0x03, 0x01, 0x10, 0x00, 0x00, 0x00, 0x00}, &Input{}), CloseInvalidValue},
		{"foreign", assert.AnError, CloseBadMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, CloseCode(tc.err))
		})
	}
}
