package netcode

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestValidateRoomName(t *testing.T) {
	tests := []struct {
		name string
		room string
		want error
	}{
		{name: "empty: any room", room: "", want: nil},
		{name: "whole alphabet", room: "az-AZ_09", want: nil},
		{name: "longest", room: strings.Repeat("r", MaxRoomLen), want: nil},
		{name: "too long", room: strings.Repeat("r", MaxRoomLen+1), want: ErrMalformed},
		{name: "space", room: "my room", want: ErrInvalidValue},
		{name: "multi-byte letter", room: "café", want: ErrInvalidValue},
		{name: "slash", room: "a/b", want: ErrInvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateRoomName(tt.room)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			// The decoder takes the same rules.
			_, appendErr := Append(nil, &Hello{Kind: KindHello, Version: ProtocolVersion, Room: tt.room})
			assert.ErrorIs(t, appendErr, tt.want)
		})
	}
}

func TestRoomNameRune(t *testing.T) {
	for _, r := range "azAZ09_-" {
		assert.True(t, RoomNameRune(r), "%q", r)
	}
	for _, r := range " ./é\x00\u00c0" {
		assert.False(t, RoomNameRune(r), "%q", r)
	}
}

func TestTruncateUTF8(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{name: "fits", s: "abc", n: 3, want: "abc"},
		{name: "ascii cut", s: "abcdef", n: 4, want: "abcd"},
		{name: "cut inside a two-byte rune", s: "abé", n: 3, want: "ab"},
		{name: "cut after a two-byte rune", s: "abéx", n: 4, want: "abé"},
		{name: "cut inside a four-byte rune", s: "a🙂b", n: 4, want: "a"},
		{name: "only a multi-byte rune", s: "🙂", n: 2, want: ""},
		{name: "zero", s: "abc", n: 0, want: ""},
		{name: "negative", s: "abc", n: -1, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TruncateUTF8(tt.s, tt.n)
			assert.Equal(t, tt.want, got)
			assert.True(t, utf8.ValidString(got))
			assert.LessOrEqual(t, len(got), max(tt.n, 0))
		})
	}
}
