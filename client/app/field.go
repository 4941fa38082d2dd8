package app

import (
	"unicode"
	"unicode/utf8"
)

// textField is a single-line text field with the caret at the end, which is
// all a name or a room needs.
type textField struct {
	Label       string
	Placeholder string // shown greyed while Text is empty
	Text        string
	MaxBytes    int               // 0 = unlimited
	Allow       func(r rune) bool // nil = any printable rune
}

// Type appends the runes that are allowed and still fit; it reports whether
// the text changed.
func (f *textField) Type(runes []rune) bool {
	changed := false
	for _, r := range runes {
		if !f.allowed(r) {
			continue
		}
		if f.MaxBytes > 0 && len(f.Text)+utf8.RuneLen(r) > f.MaxBytes {
			break
		}
		f.Text += string(r)
		changed = true
	}
	return changed
}

// Backspace removes the last rune; it reports whether there was one.
func (f *textField) Backspace() bool {
	if f.Text == "" {
		return false
	}
	_, size := utf8.DecodeLastRuneInString(f.Text)
	f.Text = f.Text[:len(f.Text)-size]
	return true
}

func (f *textField) allowed(r rune) bool {
	if f.Allow != nil {
		return f.Allow(r)
	}
	return unicode.IsPrint(r)
}

// roomRune is the room-name alphabet the server accepts: [A-Za-z0-9_-].
func roomRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-'
}

// focusRing cycles keyboard focus over n widgets.
type focusRing struct {
	Index, N int
}

// Next moves the focus forward (or back), wrapping around.
func (f *focusRing) Next(back bool) {
	if f.N == 0 {
		return
	}
	if back {
		f.Index = (f.Index + f.N - 1) % f.N
	} else {
		f.Index = (f.Index + 1) % f.N
	}
}
