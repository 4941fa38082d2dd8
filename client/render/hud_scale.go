package render

import "math"

// The HUD is laid out for a reference screen and scaled with the real one:
// at 1280x720 logical pixels it has its designed size, on a phone or a
// small window it shrinks (down to hudMinScale) so that the arena stays in
// view, and on a big monitor it grows a little.
const (
	hudRefW, hudRefH = 1100.0, 620.0
	hudMinScale      = 0.6
	hudMaxScale      = 1.35
)

// HUDScale is the factor HUD sizes (written in logical pixels) are
// multiplied by on a w x h pixel screen with scale device pixels per
// logical pixel.
func HUDScale(w, h int, scale float64) float64 {
	if scale <= 0 {
		scale = 1
	}
	lw, lh := float64(w)/scale, float64(h)/scale
	k := math.Min(lw/hudRefW, lh/hudRefH)
	return scale * math.Max(hudMinScale, math.Min(hudMaxScale, k))
}

// Compact reports whether a screen is small enough (in logical pixels at
// HUD scale s) that the HUD should leave out what a player can do without:
// the controls line, the lower half of the leaderboard.
func Compact(h int, s float64) bool { return float64(h)/s < 560 }
