package app

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/netcode"
)

// maxReasonLen keeps an error's text to one line of the banner.
const maxReasonLen = 72

// closeAbnormal is the close code a browser reports for a connection that
// ended without a close frame: all it lets a page know of a network error.
const closeAbnormal = 1006

// drawOverlay draws the connection banner over the scene when the game is
// not flowing: connecting, reconnecting, or refused.
func (g *Game) drawOverlay(screen *ebiten.Image, now time.Time) {
	var b render.Banner
	switch g.net.state {
	case netIdle, netJoined:
		return
	case netConnecting:
		dots := strings.Repeat(".", 1+int(math.Mod(g.seconds(now)*3, 3)))
		title := "Connecting" + dots
		if g.net.joined {
			title = "Reconnecting" + dots
		}
		b = render.Banner{Title: title, Lines: []string{g.cfg.Server}, Color: render.ColorAccent, Dim: 0.3}
		if g.net.attempt > 1 {
			b.Lines = append(b.Lines, fmt.Sprintf("attempt %d", g.net.attempt))
		}
	case netLost:
		wait := max(g.net.retryAt.Sub(now), 0)
		title := "Connection lost"
		if !g.net.joined {
			title = "Server unreachable"
		}
		b = render.Banner{Title: title, Color: render.ColorPellet, Dim: 0.45, Lines: []string{
			reason(g.net.err),
			fmt.Sprintf("retrying in %.1f s (attempt %d)", wait.Seconds(), g.net.attempt+1),
		}}
	case netRejected:
		b = render.Banner{Title: refusalTitle(g.net.err), Color: render.ColorBorder, Dim: 0.55, Lines: []string{
			reason(g.net.err),
			"Press Enter to join as a new player",
		}}
	}
	g.rnd.DrawBanner(screen, &b, g.w, g.h, g.scale)
}

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
