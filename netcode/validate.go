package netcode

import (
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/skirmish-game/skirmish/game"
)

// MaxAim is the largest |Input.Aim|: 2π rounded to float32, so that every
// float32 the encoder can send for an angle in [-2π, 2π] passes.
const MaxAim = float32(2 * math.Pi)

// Both the decoders and Append validate with these functions, so whatever a
// peer of this package sends, the other side accepts.

// validateName: at most MaxNameLen bytes of valid UTF-8 that every other
// player can read: no control characters (they garble the HUD, the board and
// log lines), no format characters (bidi overrides reorder the text around a
// name, zero-width ones make two names look alike), no line separators, no
// private-use or unassigned code points (no font has them).
func validateName(what, s string) error {
	if len(s) > MaxNameLen {
		return malformed(what, "%d bytes, at most %d", len(s), MaxNameLen)
	}
	if !utf8.ValidString(s) {
		return invalid(what, "not valid UTF-8")
	}
	for _, c := range s {
		if rule := unreadable(c); rule != "" {
			return invalid(what, "%s %U is not allowed in names", rule, c)
		}
	}
	return nil
}

// unreadable names the rule a name's character breaks, or is "".
func unreadable(c rune) string {
	switch {
	case unicode.Is(unicode.Cc, c):
		return "control character"
	case unicode.Is(unicode.Cf, c):
		return "format character (bidi control or zero-width)"
	case unicode.In(c, unicode.Zl, unicode.Zp):
		return "line or paragraph separator"
	case unicode.Is(unicode.Co, c):
		return "private-use character"
	case !unicode.In(c, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs):
		return "unassigned character"
	}
	return ""
}

// RoomNameRune reports whether r is in the room-name alphabet,
// [A-Za-z0-9_-]: what a text field lets a player type into a room name.
func RoomNameRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-'
}

// ValidateRoomName checks a room name as the decoders do, so that a client or
// bot can refuse one before it is sent: at most MaxRoomLen bytes of
// [A-Za-z0-9_-]. The error wraps ErrMalformed or ErrInvalidValue.
func ValidateRoomName(s string) error { return validateRoom("room", s) }

func validateRoom(what, s string) error {
	if len(s) > MaxRoomLen {
		return malformed(what, "%d bytes, at most %d", len(s), MaxRoomLen)
	}
	for i := 0; i < len(s); i++ {
		// Byte by byte: no byte of a multi-byte rune is in the alphabet.
		if c := s[i]; !RoomNameRune(rune(c)) {
			return invalid(what, "byte 0x%02x outside [A-Za-z0-9_-]", c)
		}
	}
	return nil
}

// TruncateUTF8 cuts s to at most n bytes without splitting a rune, so that a
// text cut to fit a cap (MaxErrorTextLen, a close reason, a line of the HUD)
// stays valid UTF-8.
func TruncateUTF8(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func validateLen(what, s string, max int) error {
	if len(s) > max {
		return malformed(what, "%d bytes, at most %d", len(s), max)
	}
	return nil
}

// validateHello checks everything but Version, which the server checks so that
// it can answer CloseProtocolError.
func validateHello(h *Hello) error {
	if err := validateName("hello name", h.Name); err != nil {
		return err
	}
	if err := validateRoom("hello room", h.Room); err != nil {
		return err
	}
	if err := validateLen("hello token", h.Token, MaxTokenLen); err != nil {
		return err
	}
	return validateLen("hello ticket", h.Ticket, MaxTicketLen)
}

func validateInput(in *Input) error {
	if in.Seq == 0 {
		return invalid("input seq", "0 is never sent")
	}
	if in.Move&^game.MoveMask != 0 {
		return invalid("input move", "bits 0x%02x outside 0x%02x", in.Move, game.MoveMask)
	}
	if in.Buttons&^game.ButtonsMask != 0 {
		return invalid("input buttons", "bits 0x%02x outside 0x%02x", in.Buttons, game.ButtonsMask)
	}
	// Written so that NaN fails too.
	if !(in.Aim >= -MaxAim && in.Aim <= MaxAim) {
		return invalid("input aim", "%v is not a finite angle in [-2π, 2π]", in.Aim)
	}
	return nil
}

func validateWelcome(w *Welcome) error {
	if err := validateRoom("welcome room", w.Room); err != nil {
		return err
	}
	return validateLen("welcome token", w.Token, MaxTokenLen)
}

func validateError(e *Error) error {
	return validateLen("error text", e.Text, MaxErrorTextLen)
}

func validateBoard(b *Board) error {
	if len(b.Entries) > MaxBoardEntries {
		return malformed("board entries", "%d, at most %d", len(b.Entries), MaxBoardEntries)
	}
	for i := range b.Entries {
		if err := validateName("board name", b.Entries[i].Name); err != nil {
			return err
		}
	}
	return nil
}
