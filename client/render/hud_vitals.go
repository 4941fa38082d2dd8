package render

import (
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/game"
)

// DrawVitals draws the own health bar and score centred at the bottom of a
// w x h screen, keeping clear of reserve pixels at each side (the minimap).
func (r *Renderer) DrawVitals(dst *ebiten.Image, hp int, score uint32, w, h int, scale, reserve float64) {
	// The labels either side of the bar take about 80 pixels each.
	bw := min(260*scale, max(100*scale, float64(w)-2*reserve-160*scale))
	bh := 12 * scale
	x := (float64(w) - bw) / 2
	y := float64(h) - 34*scale
	frac := float64(hp) / float64(game.StatsFor(int(score)).MaxHP) // max HP grows with the level
	Bar(dst, x, y, bw, bh, frac, HealthColor(frac))
	face := r.res.BoldFace(13 * scale)
	Text(dst, fmt.Sprintf("%d HP", hp), face, x-10*scale, y-3*scale, AlignEnd, ColorText)
	Text(dst, fmt.Sprintf("%d pts", score), face, x+bw+10*scale, y-3*scale, AlignStart, ColorPellet)
}

// DrawHelp draws the controls, dimly, from (x, y).
func (r *Renderer) DrawHelp(dst *ebiten.Image, x, y, scale float64) {
	face := r.res.Face(11 * scale)
	Text(dst, "WASD / arrows move · mouse aims · click or space fires · Esc menu", face, x, y, AlignStart, ColorTextDim)
}
