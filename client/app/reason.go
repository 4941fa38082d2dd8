package app

import (
	"errors"
	"strings"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/netcode"
)

// maxReasonLen keeps an error's text to one line of the banner.
const maxReasonLen = 72

// closeAbnormal is the close code a browser reports for a connection that
// ended without a close frame: all it lets a page know of a network error.
const closeAbnormal = 1006

// refusalTitle names a server's refusal for the player.
func refusalTitle(err error) string {
	var r *link.Refusal
	if !errors.As(err, &r) {
		return "Could not join"
	}
	switch r.Code {
	case netcode.CloseResumeFailed:
		return "Session expired"
	case netcode.CloseRoomFull:
		return "Room full"
	case netcode.CloseReplaced:
		return "Playing elsewhere"
	case netcode.CloseProtocolError:
		return "Version mismatch"
	}
	return "Could not join"
}

// reason is an error as one short line for the player: the server's own
// words for a refusal, else the innermost cause ("connection refused") rather
// than the whole chain of wrapping.
func reason(err error) string {
	if err == nil {
		return ""
	}
	var s string
	var r *link.Refusal
	var cc interface{ CloseCode() uint16 }
	switch {
	case errors.As(err, &r):
		s = strings.TrimPrefix(r.Error(), "link: ")
	case errors.As(err, &cc) && cc.CloseCode() == closeAbnormal:
		s = "the connection dropped"
	default:
		s = err.Error()
		if i := strings.LastIndex(s, ": "); i >= 0 {
			s = s[i+2:]
		}
	}
	if len(s) > maxReasonLen {
		s = s[:maxReasonLen] + "…"
	}
	return s
}
