package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFieldType(t *testing.T) {
	for _, tc := range []struct {
		name  string
		field Field
		typed string
		want  string
	}{
		{"plain", Field{MaxBytes: 16}, "Alice", "Alice"},
		{"stops at the byte limit", Field{MaxBytes: 4}, "Alice", "Alic"},
		{"multi-byte runes count in bytes", Field{MaxBytes: 4}, "ééé", "éé"},
		{"control runes dropped", Field{}, "a\tb\x00c", "abc"},
		{"room alphabet", Field{Allow: RoomRune}, "my room#1_-x", "myroom1_-x"},
		{"appends", Field{Text: "ab", MaxBytes: 16}, "c", "abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.field
			f.Type([]rune(tc.typed))
			assert.Equal(t, tc.want, f.Text)
		})
	}
}

func TestFieldBackspace(t *testing.T) {
	f := Field{Text: "hé"}
	assert.True(t, f.Backspace())
	assert.Equal(t, "h", f.Text, "removes a whole rune")
	assert.True(t, f.Backspace())
	assert.False(t, f.Backspace(), "nothing left")
	assert.Equal(t, "", f.Text)
}

func TestFocus(t *testing.T) {
	f := Focus{N: 2}
	f.Next(false)
	assert.Equal(t, 1, f.Index)
	f.Next(false)
	assert.Equal(t, 0, f.Index, "wraps")
	f.Next(true)
	assert.Equal(t, 1, f.Index, "shift-tab goes back")
}
