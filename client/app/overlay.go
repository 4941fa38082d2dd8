package app

import (
	"fmt"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
)

// drawOverlay draws the connection banner over the scene when the game is
// not flowing (connecting, reconnecting, or refused), and for a few seconds
// after the game started over as a new player, why it did.
func (g *Game) drawOverlay(screen *ebiten.Image, f *render.Frame) {
	n := &g.sess.net
	var b render.Banner
	switch n.state {
	case netIdle:
		return
	case netJoined:
		if n.notice == "" || !f.Now.Before(n.noticeUntil) {
			return
		}
		b = render.Banner{Title: n.notice, Color: render.ColorAccent, At: 0.22}
	case netConnecting:
		dots := strings.Repeat(".", 1+int(math.Mod(f.T*3, 3)))
		title := "Connecting" + dots
		if n.joined {
			title = "Reconnecting" + dots
		}
		url := n.url
		if url == "" {
			url = g.cfg.Server
		}
		b = render.Banner{Title: title, Lines: []string{url}, Color: render.ColorAccent, Dim: 0.3}
		if n.moving != "" {
			b.Title, b.Lines = n.moving, append(b.Lines, reason(n.err))
		}
		if n.attempt > 1 {
			b.Lines = append(b.Lines, fmt.Sprintf("attempt %d", n.attempt))
		}
	case netLost:
		wait := max(n.retryAt.Sub(f.Now), 0)
		title := "Connection lost"
		if !n.joined {
			title = "Server unreachable"
		}
		b = render.Banner{Title: title, Color: render.ColorPellet, Dim: 0.45, Lines: []string{
			reason(n.err),
			fmt.Sprintf("retrying in %.1f s (attempt %d)", wait.Seconds(), n.attempt+1),
		}}
	case netRejected:
		b = render.Banner{Title: refusalTitle(n.err), Color: render.ColorBorder, Dim: 0.55, Lines: []string{
			reason(n.err),
			"Press Enter to join as a new player",
		}}
	}
	g.rnd.DrawBanner(screen, &b, f.W, f.H, f.Scale)
}
