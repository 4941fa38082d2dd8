package render

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// HUDStats are the figures of the top-left panel.
type HUDStats struct {
	RTT         time.Duration
	ClockSynced bool
	FPS, TPS    float64
	Tick        uint32
	Players     int
	DownKbps    float64
	UpKbps      float64
	Corrections uint64
	InputDelay  time.Duration // the server's view of it
	Room        string
}

// DrawStats draws the figures in a panel with its top-left corner at (x, y).
func (r *Renderer) DrawStats(dst *ebiten.Image, s *HUDStats, x, y, scale float64) {
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
		{"input delay (server)", fmt.Sprintf("%d ms", s.InputDelay.Milliseconds())},
	}
	label := r.res.Face(12 * scale)
	value := r.res.MonoFace(12 * scale)
	lh := 17 * scale
	pad := 10 * scale
	w := 210 * scale
	r.res.Panel(dst, x, y, w, float64(len(lines))*lh+2*pad-3*scale, scale)
	for i, l := range lines {
		ly := y + pad + float64(i)*lh
		Text(dst, l[0], label, x+pad, ly, AlignStart, ColorTextDim)
		Text(dst, l[1], value, x+w-pad, ly, AlignEnd, ColorText)
	}
}
