package hud

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
)

// Stats are the figures of the top-left panel.
type Stats struct {
	RTT         time.Duration
	ClockSynced bool
	FPS, TPS    float64
	Tick        uint32
	Players     int
	DownKbps    float64
	UpKbps      float64
	Corrections uint64
	Room        string
}

// DrawStats draws the figures in a panel with its top-left corner at (x, y).
func DrawStats(dst *ebiten.Image, res *render.Resources, s *Stats, x, y, scale float64) {
	ping := "…"
	if s.ClockSynced {
		ping = fmt.Sprintf("%d ms", s.RTT.Milliseconds())
	}
	lines := [...][2]string{
		{"room", s.Room},
		{"ping", ping},
		{"fps / tps", fmt.Sprintf("%.0f / %.0f", s.FPS, s.TPS)},
		{"server tick", fmt.Sprintf("%d", s.Tick)},
		{"players", fmt.Sprintf("%d", s.Players)},
		{"down", fmt.Sprintf("%.1f kbit/s", s.DownKbps)},
		{"up", fmt.Sprintf("%.1f kbit/s", s.UpKbps)},
		{"corrections", fmt.Sprintf("%d", s.Corrections)},
	}
	label := res.Face(12 * scale)
	value := res.MonoFace(12 * scale)
	lh := 17 * scale
	pad := 10 * scale
	w := 210 * scale
	res.Panel(dst, x, y, w, float64(len(lines))*lh+2*pad-3*scale, scale)
	for i, l := range lines {
		ly := y + pad + float64(i)*lh
		render.Text(dst, l[0], label, x+pad, ly, render.AlignStart, render.ColorTextDim)
		render.Text(dst, l[1], value, x+w-pad, ly, render.AlignEnd, render.ColorText)
	}
}
