package netcode

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hello is the hex of a hello frame: its array header, the kind, this
// protocol version (a positive fixint), then rest.
func hello(header, rest string) string {
	return fmt.Sprintf("%s %02x %02x %s", header, KindHello, ProtocolVersion, rest)
}

// TestHelloTicket holds PROTOCOL.md section 4.1 to the codec: the Ticket is
// a sixth element that may be absent, and within its limit.
func TestHelloTicket(t *testing.T) {
	ticket := strings.Repeat("k", MaxTicketLen)
	wideTicket := make([]byte, 5, 5+MaxTicketLen)
	wideTicket[0] = 0xdb
	binary.BigEndian.PutUint32(wideTicket[1:], MaxTicketLen)
	wideTicket = append(wideTicket, ticket...)
	tests := []struct {
		name  string
		frame []byte
		want  Hello
		err   error
	}{
		{"five elements: no ticket", wireHex(t, hello("95", "a3 61 6e 6e a0 a0")),
			Hello{Kind: KindHello, Version: ProtocolVersion, Name: "ann"}, nil},
		{"six elements, empty ticket", wireHex(t, hello("96", "a3 61 6e 6e a0 a0 a0")),
			Hello{Kind: KindHello, Version: ProtocolVersion, Name: "ann"}, nil},
		{"six elements with a ticket", wireHex(t, hello("96", "a0 a4 6d 61 69 6e a0 a3 61 2e 62")),
			Hello{Kind: KindHello, Version: ProtocolVersion, Room: "main", Ticket: "a.b"}, nil},
		{"widest hello with the longest ticket", wideFrame(wideArray(6, KindHello), wideUint(ProtocolVersion),
			wideStr(MaxNameLen, 'n'), wideStr(MaxRoomLen, 'r'), wideStr(MaxTokenLen, 't'), wideTicket),
			Hello{Kind: KindHello, Version: ProtocolVersion, Name: strings.Repeat("n", MaxNameLen),
				Room: strings.Repeat("r", MaxRoomLen), Token: strings.Repeat("t", MaxTokenLen), Ticket: ticket}, nil},
		{"ticket one byte too long", wideFrame(wireHex(t, hello("96", "a0 a0 a0 da 02 01")), []byte(ticket+"k")), Hello{}, ErrMalformed},
		{"ticket not a string", wireHex(t, hello("96", "a0 a0 a0 01")), Hello{}, ErrMalformed},
		{"seven elements", wireHex(t, hello("97", "a0 a0 a0 a0 a0")), Hello{}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.LessOrEqual(t, len(tt.frame), MaxClientFrame)
			var h Hello
			err := DecodeHello(tt.frame, &h)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, h)
		})
	}
}

func TestHelloTicketEncoding(t *testing.T) {
	tests := []struct {
		name string
		in   Hello
		want string
	}{
		{"no ticket: an empty sixth element", Hello{Kind: KindHello, Version: ProtocolVersion, Name: "ann", Room: "main"},
			hello("96", "a3 61 6e 6e a4 6d 61 69 6e a0 a0")},
		{"a ticket: six elements", Hello{Kind: KindHello, Version: ProtocolVersion, Room: "main", Ticket: "a.b"},
			hello("96", "a0 a4 6d 61 69 6e a0 a3 61 2e 62")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Append(nil, &tt.in)
			require.NoError(t, err)
			assert.Equal(t, wireHex(t, tt.want), b)
		})
	}
	_, err := Append(nil, &Hello{Kind: KindHello, Version: ProtocolVersion, Ticket: strings.Repeat("k", MaxTicketLen+1)})
	assert.ErrorIs(t, err, ErrMalformed, "the encoder refuses what the decoder would")
}
