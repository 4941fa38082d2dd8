package sound

import (
	"math"

	"github.com/skirmish-game/skirmish/game"
)

// DefaultHearing is how far, in world units, a sound carries: a little past
// the screen's edge (the view shows 760 units across its shorter side), so
// that a fight just off screen is heard before it is seen.
const DefaultHearing = 1100.0

// panWidth is the distance to the side, in world units, at which a sound is
// panned fully; panMax keeps a little of it in the far ear, as a real room
// does.
const (
	panWidth = 600.0
	panMax   = 0.85
)

// Place says how loud (0..1) and where (-1 left .. 1 right) a sound at src
// is for a listener at ear, within hearing world units (DefaultHearing if
// 0). Loudness falls smoothly with distance, reaching 0 at hearing.
func Place(ear, src game.Vec, hearing float64) (gain, pan float64) {
	if hearing <= 0 {
		hearing = DefaultHearing
	}
	dx, dy := src.X-ear.X, src.Y-ear.Y
	d := math.Hypot(dx, dy)
	if d >= hearing {
		return 0, 0
	}
	u := 1 - d/hearing
	gain = u * u
	pan = math.Max(-1, math.Min(1, dx/panWidth)) * panMax
	return gain, pan
}

// stereo is the equal-power split of gain between the two ears at pan.
func stereo(gain, pan float64) (left, right float64) {
	a := (pan + 1) * math.Pi / 4
	return gain * math.Cos(a) * math.Sqrt2, gain * math.Sin(a) * math.Sqrt2
}
