package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFieldType(t *testing.T) {
	for _, tc := range []struct {
		name  string
		field textField
		typed string
		want  string
	}{
		{"plain", textField{MaxBytes: 16}, "Alice", "Alice"},
		{"stops at the byte limit", textField{MaxBytes: 4}, "Alice", "Alic"},
		{"multi-byte runes count in bytes", textField{MaxBytes: 4}, "ééé", "éé"},
		{"control runes dropped", textField{}, "a\tb\x00c", "abc"},
		{"room alphabet", textField{Allow: roomRune}, "my room#1_-x", "myroom1_-x"},
		{"appends", textField{Text: "ab", MaxBytes: 16}, "c", "abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.field
			f.Type([]rune(tc.typed))
			assert.Equal(t, tc.want, f.Text)
		})
	}
}

func TestFieldBackspace(t *testing.T) {
	f := textField{Text: "hé"}
	assert.True(t, f.Backspace())
	assert.Equal(t, "h", f.Text, "removes a whole rune")
	assert.True(t, f.Backspace())
	assert.False(t, f.Backspace(), "nothing left")
	assert.Equal(t, "", f.Text)
}

func TestFocus(t *testing.T) {
	f := focusRing{N: 2}
	f.Next(false)
	assert.Equal(t, 1, f.Index)
	f.Next(false)
	assert.Equal(t, 0, f.Index, "wraps")
	f.Next(true)
	assert.Equal(t, 1, f.Index, "shift-tab goes back")
}
