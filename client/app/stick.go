package app

import "math"

// Virtual and real sticks: a thumb's or a stick's offset (dx, dy), in any
// unit, with a dead zone in the same unit.

// stickSector is where an 8-way direction starts: a push within 22.5° of
// an axis is along it, beyond that it is a diagonal.
var stickSector = math.Sin(math.Pi / 8)

// stickHeld turns a stick's offset into the direction keys it stands for.
func stickHeld(dx, dy, dead float64) held {
	d := math.Hypot(dx, dy)
	if d <= dead || d == 0 {
		return held{}
	}
	nx, ny := dx/d, dy/d
	return held{Left: nx < -stickSector, Right: nx > stickSector, Up: ny < -stickSector, Down: ny > stickSector}
}

// stickAim is the aim a stick's offset points at, in [0, 2π), and whether
// it is out of its dead zone.
func stickAim(dx, dy, dead float64) (float64, bool) {
	if math.Hypot(dx, dy) <= dead {
		return 0, false
	}
	return aimAt(0, 0, dx, dy, 0), true
}
