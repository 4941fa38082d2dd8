package netcode

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type wireBadCase struct {
	name  string
	kind  Kind   // decoder to use
	frame []byte // nil: built from vals
	vals  []any
	want  error
}

func wireBadCases(t testing.TB) []wireBadCase {
	input := func(seq, move, aim, buttons, ack any) []any { return []any{3, seq, move, aim, buttons, ack, 0} }
	hello := func(name, room, token any) []any { return []any{1, ProtocolVersion, name, room, token, ""} }
	validInput := wireFrame(t, input(1, 1, 0.5, 0, 0)...)
	return []wireBadCase{
		// Not msgpack, or not one array.
		{name: "not msgpack: text", kind: KindInput, frame: []byte("hello world"), want: ErrMalformed},
		{name: "not msgpack: reserved code", kind: KindInput, frame: []byte{0xc1}, want: ErrMalformed},
		{name: "empty frame", kind: KindHello, frame: []byte{}, want: ErrMalformed},
		{name: "map instead of array", kind: KindPing, frame: wireHex(t, "81 01 05"), want: ErrMalformed},
		{name: "nil frame", kind: KindPing, frame: wireHex(t, "c0"), want: ErrMalformed},
		// Truncated.
		{name: "truncated input", kind: KindInput, frame: validInput[:len(validInput)-1], want: ErrMalformed},
		{name: "truncated inside a float", kind: KindInput, frame: validInput[:10], want: ErrMalformed},
		{name: "truncated string", kind: KindHello, frame: wireHex(t, "96 01 02 a5 61 62"), want: ErrMalformed},
		{name: "truncated array header", kind: KindBoard, frame: wireHex(t, "dc 00"), want: ErrMalformed},
		// Wrong shape.
		{name: "wrong array length: short input", kind: KindInput, vals: []any{3, 1, 0, 0.5, 0, 0}, want: ErrMalformed},
		{name: "wrong array length: long input", kind: KindInput, vals: []any{3, 1, 0, 0.5, 0, 0, 0, 0}, want: ErrMalformed},
		{name: "view over uint16", kind: KindInput, vals: []any{3, 1, 0, 0.5, 0, 0, 65536}, want: ErrInvalidValue},
		{name: "wrong array length: hello of 7", kind: KindHello, vals: []any{1, ProtocolVersion, "ann", "", "", "", ""}, want: ErrMalformed},
		{name: "wrong array length: hello of 1", kind: KindHello, vals: []any{1}, want: ErrMalformed},
		{name: "wrong array length: ping", kind: KindPing, vals: []any{5, 1, 2}, want: ErrMalformed},
		{name: "trailing garbage", kind: KindInput, frame: append(append([]byte{}, validInput...), 0x00), want: ErrMalformed},
		{name: "two messages in a frame", kind: KindPing, frame: wireHex(t, "92 05 01 92 05 02"), want: ErrMalformed},
		{name: "kind as uint8", kind: KindPing, frame: wireHex(t, "92 cc 05 01"), want: ErrMalformed},
		// Kinds.
		{name: "unknown kind", kind: KindInput, vals: []any{9, 1, 0, 0.5, 0, 0, 0}, want: ErrUnknownKind},
		{name: "hello sent to the input decoder", kind: KindInput, vals: []any{1, 1, 0, 0.5, 0, 0, 0}, want: ErrUnknownKind},
		// Types.
		{name: "float where an int is expected", kind: KindInput, vals: input(1.0, 0, 0.5, 0, 0), want: ErrMalformed},
		{name: "float32 where an int is expected", kind: KindPing, vals: []any{5, float32(2)}, want: ErrMalformed},
		{name: "string where a number is expected", kind: KindInput, vals: input(1, 0, "0.5", 0, 0), want: ErrMalformed},
		{name: "nil where an int is expected", kind: KindInput, vals: input(1, nil, 0.5, 0, 0), want: ErrMalformed},
		{name: "bool where an int is expected", kind: KindInput, vals: input(1, 0, 0.5, true, 0), want: ErrMalformed},
		{name: "nil where a string is expected", kind: KindHello, vals: hello(nil, "", ""), want: ErrMalformed},
		{name: "bin where a string is expected", kind: KindHello, vals: hello([]byte("ann"), "", ""), want: ErrMalformed},
		{name: "int where a bool is expected", kind: KindWelcome, vals: []any{2, 1, "", 30, 30, 1, "", 4000, 4000, 1}, want: ErrMalformed},
		// Values.
		{name: "NaN aim", kind: KindInput, vals: input(1, 0, float32(math.NaN()), 0, 0), want: ErrInvalidValue},
		{name: "NaN aim as float64", kind: KindInput, vals: input(1, 0, math.NaN(), 0, 0), want: ErrInvalidValue},
		{name: "+Inf aim", kind: KindInput, vals: input(1, 0, math.Inf(1), 0, 0), want: ErrInvalidValue},
		{name: "-Inf aim", kind: KindInput, vals: input(1, 0, float32(math.Inf(-1)), 0, 0), want: ErrInvalidValue},
		{name: "aim past 2π", kind: KindInput, vals: input(1, 0, 6.3, 0, 0), want: ErrInvalidValue},
		{name: "aim past float32", kind: KindInput, vals: input(1, 0, 1e300, 0, 0), want: ErrInvalidValue},
		{name: "integer aim past 2π", kind: KindInput, vals: input(1, 0, -7, 0, 0), want: ErrInvalidValue},
		{name: "out-of-range move bits", kind: KindInput, vals: input(1, 0x10, 0.5, 0, 0), want: ErrInvalidValue},
		{name: "move over uint8", kind: KindInput, vals: input(1, 300, 0.5, 0, 0), want: ErrInvalidValue},
		{name: "out-of-range button bits", kind: KindInput, vals: input(1, 0, 0.5, 2, 0), want: ErrInvalidValue},
		{name: "seq 0", kind: KindInput, vals: input(0, 0, 0.5, 0, 0), want: ErrInvalidValue},
		{name: "negative seq", kind: KindInput, vals: input(-1, 0, 0.5, 0, 0), want: ErrInvalidValue},
		{name: "seq over uint32", kind: KindInput, vals: input(1<<32, 0, 0.5, 0, 0), want: ErrInvalidValue},
		{name: "ping time over int64", kind: KindPing, frame: wireHex(t, "92 05 cf ff ff ff ff ff ff ff ff"), want: ErrInvalidValue},
		{name: "negative hello version", kind: KindHello, vals: []any{1, -1, "", "", ""}, want: ErrInvalidValue},
		{name: "too-long name", kind: KindHello, vals: hello(strings.Repeat("n", MaxNameLen+1), "", ""), want: ErrMalformed},
		{name: "name not UTF-8", kind: KindHello, vals: hello("a\xffb", "", ""), want: ErrInvalidValue},
		{name: "name with a control character", kind: KindHello, vals: hello("a\tb", "", ""), want: ErrInvalidValue},
		{name: "room outside its charset", kind: KindHello, vals: hello("", "main room", ""), want: ErrInvalidValue},
		{name: "too-long room", kind: KindHello, vals: hello("", strings.Repeat("r", MaxRoomLen+1), ""), want: ErrMalformed},
		{name: "too-long token", kind: KindHello, vals: hello("", "", strings.Repeat("t", MaxTokenLen+1)), want: ErrMalformed},
		{name: "too-long ticket", kind: KindHello, vals: []any{1, ProtocolVersion, "", "", "", strings.Repeat("t", MaxTicketLen+1)}, want: ErrMalformed},
		{name: "int where the ticket is expected", kind: KindHello, vals: []any{1, ProtocolVersion, "", "", "", 7}, want: ErrMalformed},
		{name: "welcome room outside its charset", kind: KindWelcome, vals: []any{2, 1, "a/b", 30, 30, 1, "", 4000, 4000, false}, want: ErrInvalidValue},
		{name: "welcome tick rate over uint16", kind: KindWelcome, vals: []any{2, 1, "", 70000, 30, 1, "", 4000, 4000, false}, want: ErrInvalidValue},
		{name: "too-long error text", kind: KindError, vals: []any{7, 4000, strings.Repeat("x", MaxErrorTextLen+1)}, want: ErrMalformed},
		{name: "board over MaxBoardEntries", kind: KindBoard, vals: []any{8, 1, make([][]any, MaxBoardEntries+1)}, want: ErrMalformed},
		{name: "board entry of wrong length", kind: KindBoard, vals: []any{8, 1, []any{[]any{1, "ann"}}}, want: ErrMalformed},
		{name: "board entry name too long", kind: KindBoard, vals: []any{8, 1, []any{[]any{1, strings.Repeat("n", 17), 5}}}, want: ErrMalformed},
		// Length headers that claim far more than the frame holds.
		{name: "str32 claiming 4 GiB", kind: KindHello, frame: wireHex(t, "96 01 02 db ff ff ff ff 61"), want: ErrMalformed},
		{name: "str32 within the cap but past the frame", kind: KindHello, frame: wireHex(t, "96 01 02 db 00 00 00 05 61"), want: ErrMalformed},
		{name: "str32 error text claiming 4 GiB", kind: KindError, frame: wireHex(t, "93 07 01 db ff ff ff fe"), want: ErrMalformed},
		{name: "array32 frame claiming 4G elements", kind: KindInput, frame: wireHex(t, "dd ff ff ff ff 03 01"), want: ErrMalformed},
		{name: "array32 hello claiming 4G elements", kind: KindHello, frame: wireHex(t, "dd ff ff ff ff 01 01"), want: ErrMalformed},
		{name: "array16 frame claiming 65535 elements", kind: KindPing, frame: wireHex(t, "dc ff ff 05 01"), want: ErrMalformed},
		{name: "array32 board entries claiming 4G", kind: KindBoard, frame: wireHex(t, "93 08 01 dd ff ff ff ff"), want: ErrMalformed},
		{name: "array32 snapshot changes claiming 4G", kind: KindSnapshot, frame: wireHex(t, "97 04 01 00 00 00 dd ff ff ff ff 90"), want: ErrMalformed},
		{name: "array32 snapshot removed claiming 4G", kind: KindSnapshot, frame: wireHex(t, "97 04 01 00 00 00 90 dd ff ff ff ff"), want: ErrMalformed},
		{name: "array32 entity delta claiming 4G", kind: KindSnapshot, frame: wireHex(t, "97 04 01 00 00 00 91 dd ff ff ff ff 01 01 01 90"), want: ErrMalformed},
	}
}

func TestDecodeBadInput(t *testing.T) {
	for _, tc := range wireBadCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			frame := tc.frame
			if frame == nil {
				frame = wireFrame(t, tc.vals...)
			}
			_, err := wireDecoders[tc.kind](frame)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, CloseCode(tc.want), CloseCode(err))
			assert.True(t, strings.HasPrefix(err.Error(), "netcode: "), err.Error())
		})
	}
}

// TestDecodeHugeHeadersStaySmall: a few bytes claiming gigabytes must cost no
// more than the error that rejects them.
func TestDecodeHugeHeadersStaySmall(t *testing.T) {
	for _, tc := range wireBadCases(t) {
		if !strings.Contains(tc.name, "claiming") {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			decode := wireDecoders[tc.kind]
			run := func() {
				_, err := decode(tc.frame)
				if err == nil {
					t.Fatal("decoded a frame that claims more than it holds")
				}
			}
			if !wireRaceEnabled {
				assert.LessOrEqual(t, testing.AllocsPerRun(100, run), 8.0, "allocations per decode")
			}
			const runs = 1000
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range runs {
				run()
			}
			runtime.ReadMemStats(&after)
			assert.Less(t, (after.TotalAlloc-before.TotalAlloc)/runs, uint64(2048), "bytes allocated per decode")
		})
	}
}
