package render

import (
	"image/color"
	"math"
)

// The palette: a deep blue night for the arena, warm reds for danger.
var (
	ColorVoid       = color.RGBA{6, 8, 15, 255}      // outside the arena
	ColorFloor      = color.RGBA{13, 19, 34, 255}    // the arena
	ColorGridMinor  = color.RGBA{22, 32, 54, 255}    // every 100 units
	ColorGridMajor  = color.RGBA{34, 49, 82, 255}    // every 500 units
	ColorBorder     = color.RGBA{255, 77, 109, 255}  // the arena's edge
	ColorText       = color.RGBA{230, 236, 248, 255} // labels
	ColorTextDim    = color.RGBA{140, 154, 180, 255}
	ColorShadow     = color.RGBA{0, 0, 0, 170}
	ColorPanel      = color.RGBA{10, 14, 26, 200}
	ColorPanelEdge  = color.RGBA{60, 80, 120, 200}
	ColorPellet     = color.RGBA{255, 214, 102, 255} // a scattered pellet
	ColorPelletRich = color.RGBA{120, 255, 190, 255} // a drone's drop, worth more
	ColorDrone      = color.RGBA{255, 90, 70, 255}
	ColorAccent     = color.RGBA{90, 210, 255, 255}
)

// goldenRatio spreads consecutive IDs far apart over the palette.
const goldenRatio = 0.6180339887498949

// playerPalette are the ship colours: picked by eye to stay apart from one
// another on the dark floor (hue alone is not enough: a third of the hue
// circle is greens that look alike, and pale tints all look white), and
// away from the reds that mean drones and danger. TestPlayerPaletteDistinct
// keeps them apart.
var playerPalette = [...]color.RGBA{
	{90, 200, 255, 255},  // sky
	{150, 245, 70, 255},  // lime
	{200, 120, 255, 255}, // violet
	{255, 190, 60, 255},  // amber
	{40, 230, 200, 255},  // teal
	{255, 80, 255, 255},  // magenta
	{90, 120, 255, 255},  // blue
	{230, 240, 110, 255}, // lemon
	{60, 200, 110, 255},  // green
	{255, 200, 170, 255}, // peach
	{235, 235, 245, 255}, // white
}

// PlayerColor is player id's ship color, picked by the ID so that every
// client shows the same player in the same color. Two players share one
// only when their IDs land on the same entry (1 in len(playerPalette)).
func PlayerColor(id uint32) color.RGBA {
	i := int(math.Mod(float64(id)*goldenRatio, 1) * float64(len(playerPalette)))
	return playerPalette[min(i, len(playerPalette)-1)]
}

// HealthColor goes from green (full) through yellow to red (empty).
func HealthColor(frac float64) color.RGBA {
	frac = math.Max(0, math.Min(1, frac))
	return hsv(frac/3, 0.8, 0.95)
}

// Lighten mixes c towards white by f (0..1).
func Lighten(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*f) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), c.A}
}

// WithAlpha returns c at opacity a (0..1), premultiplied as Ebiten expects.
func WithAlpha(c color.RGBA, a float64) color.RGBA {
	a = math.Max(0, math.Min(1, a))
	return color.RGBA{uint8(float64(c.R) * a), uint8(float64(c.G) * a), uint8(float64(c.B) * a), uint8(float64(c.A) * a)}
}

func hsv(h, s, v float64) color.RGBA {
	i := math.Floor(h * 6)
	f := h*6 - i
	p, q, t := v*(1-s), v*(1-f*s), v*(1-(1-f)*s)
	var r, g, b float64
	switch int(i) % 6 {
	case 0:
		r, g, b = v, t, p
	case 1:
		r, g, b = q, v, p
	case 2:
		r, g, b = p, v, t
	case 3:
		r, g, b = p, q, v
	case 4:
		r, g, b = t, p, v
	default:
		r, g, b = v, p, q
	}
	return color.RGBA{uint8(r * 255), uint8(g * 255), uint8(b * 255), 255}
}
