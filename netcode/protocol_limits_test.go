package netcode

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wideUint is v in msgpack's widest integer form, uint64.
func wideUint(v byte) []byte { return []byte{0xcf, 0, 0, 0, 0, 0, 0, 0, v} }

// wideStr is a str32 of n bytes of c.
func wideStr(n int, c byte) []byte {
	return append([]byte{0xdb, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}, bytes.Repeat([]byte{c}, n)...)
}

// wideArray is an array32 header of n elements, then the kind as a fixint
// (the one form a kind may take).
func wideArray(n int, kind Kind) []byte { return []byte{0xdd, 0, 0, 0, byte(n), byte(kind)} }

func wideFrame(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestProtocolClientMessagesFitMaxClientFrame holds PROTOCOL.md section 8:
// the longest well-formed client messages, in the smallest forms and in the
// widest the server accepts, are what it says and within MaxClientFrame.
func TestProtocolClientMessagesFitMaxClientFrame(t *testing.T) {
	longest := func(t *testing.T, m any) []byte {
		b, err := Append(nil, m)
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		name   string
		frame  func(t *testing.T) []byte
		decode func([]byte) error
		want   int // bytes PROTOCOL.md gives; 0: not stated
	}{
		{"longest hello as Go writes it", func(t *testing.T) []byte {
			return longest(t, &Hello{Version: ProtocolVersion, Name: "abcdefghijklmnop",
				Room: "abcdefghijklmnopqrstuvwxyz012345", Token: string(bytes.Repeat([]byte{'t'}, MaxTokenLen)), Ticket: string(bytes.Repeat([]byte{'k'}, MaxTicketLen))})
		}, func(b []byte) error { return DecodeHello(b, new(Hello)) }, 635},
		{"longest hello in the widest forms", func(*testing.T) []byte {
			return wideFrame(wideArray(6, KindHello), wideUint(ProtocolVersion),
				wideStr(MaxNameLen, 'n'), wideStr(MaxRoomLen, 'r'), wideStr(MaxTokenLen, 't'), wideStr(MaxTicketLen, 'k'))
		}, func(b []byte) error { return DecodeHello(b, new(Hello)) }, 659},
		{"input as Go writes it", func(t *testing.T) []byte {
			return longest(t, &Input{Seq: 1 << 31, Move: 0x0f, Aim: -MaxAim, Buttons: 1, Ack: 1 << 31})
		}, func(b []byte) error { return DecodeInput(b, new(Input)) }, 0},
		{"input in the widest forms", func(*testing.T) []byte {
			aim := []byte{0xcb, 0xbf, 0xe9, 0x21, 0xfb, 0x67, 0xea, 0xca, 0xe5} // float64 -0.7853982
			return wideFrame(wideArray(7, KindInput), wideUint(1), wideUint(0x0f), aim, wideUint(1), wideUint(0), wideUint(0))
		}, func(b []byte) error { return DecodeInput(b, new(Input)) }, 0},
		{"ping in the widest forms", func(*testing.T) []byte {
			return wideFrame(wideArray(2, KindPing), []byte{0xd3, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
		}, func(b []byte) error { return DecodePing(b, new(Ping)) }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.frame(t)
			require.NoError(t, tt.decode(b), "the server takes it")
			if tt.want != 0 {
				assert.Len(t, b, tt.want, "the size PROTOCOL.md gives")
			}
			assert.LessOrEqual(t, len(b), MaxClientFrame)
		})
	}
}

// TestProtocolCloseCodesOfHellos holds PROTOCOL.md sections 3, 8 and 9 to
// the decoder: which close code a client's hello, or a first frame that is
// no message at all, earns.
func TestProtocolCloseCodesOfHellos(t *testing.T) {
	hello := func(name, room string) []byte {
		// Not Append: it refuses what it would not send.
		return wideFrame([]byte{0x96, byte(KindHello), ProtocolVersion},
			wideStr(len(name), 0)[:5], []byte(name), wideStr(len(room), 0)[:5], []byte(room), []byte{0xa0, 0xa0})
	}
	tests := []struct {
		name  string
		frame []byte
		code  uint16
		text  string // in the error's text; "" for none
	}{
		{name: "a name others can read", frame: hello("Zoë 小明 ann", "main"), code: CloseNormal},
		{name: "control character", frame: hello("ann\x07", ""), code: CloseInvalidValue, text: "control character U+0007"},
		{name: "bidi override", frame: hello("ann\u202e", ""), code: CloseInvalidValue, text: "format character (bidi control or zero-width) U+202E"},
		{name: "zero-width space", frame: hello("a\u200bnn", ""), code: CloseInvalidValue, text: "U+200B"},
		{name: "line separator", frame: hello("a\u2028", ""), code: CloseInvalidValue, text: "line or paragraph separator U+2028"},
		{name: "private-use character", frame: hello("a\ue000", ""), code: CloseInvalidValue, text: "private-use character U+E000"},
		{name: "unassigned character", frame: hello("a\u0378", ""), code: CloseInvalidValue, text: "unassigned character U+0378"},
		{name: "not UTF-8", frame: hello("a\xff", ""), code: CloseInvalidValue, text: "not valid UTF-8"},
		{name: "name of 17 bytes", frame: hello("abcdefghijklmnopq", ""), code: CloseBadMessage},
		{name: "room with a space", frame: hello("ann", "my room"), code: CloseInvalidValue},
		{name: "room of 33 bytes", frame: hello("ann", "abcdefghijklmnopqrstuvwxyz0123456"), code: CloseBadMessage},
		{name: "garbage first", frame: []byte("GET / HTTP/1.1"), code: CloseBadMessage},
		{name: "empty frame", frame: []byte{}, code: CloseBadMessage},
		{name: "kind as a uint8", frame: []byte{0x95, 0xcc, 0x01, 0x01, 0xa0, 0xa0, 0xa0}, code: CloseBadMessage},
		{name: "kind 9", frame: []byte{0x91, 0x09}, code: CloseUnknownKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// As the server's reader: the kind, then the hello.
			k, err := PeekKind(tt.frame)
			if err == nil {
				require.Equal(t, KindHello, k)
				err = DecodeHello(tt.frame, new(Hello))
			}
			assert.Equal(t, tt.code, CloseCode(err), "err %v", err)
			if tt.text != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.text)
			}
		})
	}
}
