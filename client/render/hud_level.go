package render

import (
	"fmt"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/game"
)

// Level is the own player's progression, for the line above the vitals.
type Level struct {
	Score  uint32
	Best   uint32  // the own best of the session
	Raised float64 // seconds since the level last went up; negative: not in this life
}

// levelFlash is how long "LEVEL n: ..." shows after a level-up.
const levelFlash = 4.0

// DrawLevel draws the level, a bar of the way to the next one and what it
// will raise above the health bar of DrawVitals (same width and reserve),
// and for a few seconds after a level-up, what was raised.
func (r *Renderer) DrawLevel(dst *ebiten.Image, lv *Level, w, h int, scale, reserve float64) {
	level := game.LevelFor(int(lv.Score))
	bw := min(260*scale, max(100*scale, float64(w)-2*reserve-160*scale))
	x := (float64(w) - bw) / 2
	y := float64(h) - 46*scale
	lo, hi := game.LevelScore(level), game.LevelScore(level+1)
	frac := 1.0
	if level < game.MaxLevel {
		frac = float64(int(lv.Score)-lo) / float64(hi-lo)
	}
	Bar(dst, x, y, bw, 4*scale, frac, ColorAccent)
	bold := r.res.BoldFace(12 * scale)
	face := r.res.Face(11 * scale)
	Text(dst, fmt.Sprintf("LV %d", level), bold, x-10*scale, y-6*scale, AlignEnd, ColorAccent)
	next := "max level"
	if level < game.MaxLevel {
		next = fmt.Sprintf("next: %s at %d", game.LevelStat(level+1), hi)
	}
	// Up to the minimap (reserve): on a small screen the best, which the
	// board shows too, goes first, then the words around the next raise.
	room := float64(w) - reserve - (x + bw + 10*scale)
	if lv.Best > lv.Score {
		if withBest := next + fmt.Sprintf(" · best %d", lv.Best); TextWidth(withBest, face) <= room {
			next = withBest
		}
	}
	if TextWidth(next, face) > room && level < game.MaxLevel {
		next = fmt.Sprintf("%s at %d", game.LevelStat(level+1), hi)
	}
	Text(dst, next, face, x+bw+10*scale, y-6*scale, AlignStart, ColorTextDim)
	if lv.Raised >= 0 && lv.Raised < levelFlash && level > 1 {
		a := math.Min(1, (levelFlash-lv.Raised)/1.0)
		msg := fmt.Sprintf("LEVEL %d: %s", level, StatGain(game.LevelStat(level)))
		Text(dst, msg, r.res.BoldFace(16*scale), float64(w)/2, y-30*scale, AlignCenter, WithAlpha(ColorPellet, a))
	}
}

// StatGain says what one raise of s gives, for a player to read.
func StatGain(s game.Stat) string {
	switch s {
	case game.StatFireRate:
		return fmt.Sprintf("fire rate +%.0f%%", 100*game.FireRatePerRank)
	case game.StatSpeed:
		return fmt.Sprintf("speed +%.0f", game.SpeedPerRank)
	case game.StatMaxHP:
		return fmt.Sprintf("max HP +%d", game.MaxHPPerRank)
	case game.StatRegen:
		return fmt.Sprintf("regen +%d HP every %.1f s", game.RegenPerRank, game.RegenPeriod)
	case game.StatDamage:
		return fmt.Sprintf("damage +%d", game.DamagePerRank)
	case game.StatShotSpeed:
		return fmt.Sprintf("shot speed +%.0f", game.ShotSpeedPerRank)
	}
	return s.String()
}

// botSuffix is what the server appends to a bot's name for clients that
// draw names only.
const botSuffix = " [bot]"

// BotName splits a name off the wire into the call sign and whether it is a
// bot's, so that the HUD draws its own tag instead of the suffix.
func BotName(name string) (string, bool) {
	sign, bot := strings.CutSuffix(name, botSuffix)
	return sign, bot
}

// botLabel is the board's name of a bot: its call sign without the suffix.
func botLabel(name string) string {
	sign, _ := BotName(name)
	return sign
}

// botTagWidth is the width of drawBotTag's tag at scale.
func (r *Renderer) botTagWidth(scale float64) float64 {
	return TextWidth("BOT", r.res.BoldFace(9*scale)) + 6*scale
}

// drawBotTag draws a small "BOT" tag whose left edge is at x, on a board
// or feed line at y, faded to alpha a.
func (r *Renderer) drawBotTag(dst *ebiten.Image, x, y, scale, a float64) {
	face := r.res.BoldFace(9 * scale)
	Bar(dst, x, y+1*scale, r.botTagWidth(scale), 12*scale, 1, WithAlpha(ColorTextDim, 0.35*a))
	Text(dst, "BOT", face, x+3*scale, y+2*scale, AlignStart, WithAlpha(ColorText, a))
}
