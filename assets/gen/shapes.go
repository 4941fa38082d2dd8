package main

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// pt is a point in sprite pixels.
type pt struct{ x, y float32 }

// Sprite sizes in pixels. Ships point along +X (aim angle 0), like the game.
const (
	shipSize  = 64
	droneSize = 48
	shotW     = 32
	shotH     = 12
	iconSize  = 64
	panelSize = 32 // a 9-slice: 12 px corners around a stretchable middle
	ringSize  = 128
	dotSize   = 16
)

// shipHull is the ship's silhouette: a swept dart, nose to the right.
var shipHull = []pt{{60, 32}, {36, 23}, {15, 7}, {22, 25}, {15, 32}, {22, 39}, {15, 57}, {36, 41}}

// drawShip draws a near-white ship so that the game can tint it per player:
// white parts take the player's color, grey parts a darker shade of it.
func drawShip() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, shipSize, shipSize))
	center := pt{33, 32}
	fillPoly(img, color.RGBA{40, 42, 52, 255}, shipHull)
	body := scale(shipHull, center, 0.86)
	fillPoly(img, color.RGBA{242, 242, 242, 255}, body)
	// The lower half in shade gives the hull some volume under a light from above.
	lower := []pt{body[0], body[7], body[6], body[5], body[4]}
	fillPoly(img, color.RGBA{196, 196, 200, 255}, lower)
	// Wing stripes.
	fillPoly(img, color.RGBA{150, 150, 158, 255}, []pt{{22, 14}, {28, 22}, {25, 23}, {19, 15}})
	fillPoly(img, color.RGBA{150, 150, 158, 255}, []pt{{22, 50}, {28, 42}, {25, 41}, {19, 49}})
	fillEllipse(img, color.RGBA{28, 36, 56, 255}, 38, 32, 8, 4.2)
	fillEllipse(img, color.RGBA{190, 215, 255, 255}, 40, 30.6, 3.2, 1.4)
	return img
}

// drawDrone draws a spiked red mine; the game spins it.
func drawDrone() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, droneSize, droneSize))
	c := pt{droneSize / 2, droneSize / 2}
	fillPoly(img, color.RGBA{70, 14, 20, 255}, star(c, 8, 23, 14, 0))
	fillPoly(img, color.RGBA{150, 30, 36, 255}, star(c, 8, 20, 13, 0))
	fillPoly(img, color.RGBA{60, 16, 22, 255}, regular(c, 8, 14, math.Pi/8))
	fillPoly(img, color.RGBA{214, 58, 48, 255}, regular(c, 8, 12, math.Pi/8))
	fillEllipse(img, color.RGBA{60, 10, 16, 255}, c.x, c.y, 7, 7)
	glowOver(img, c.x, c.y, 7, color.RGBA{255, 196, 120, 255}, 0.35)
	return img
}

// drawGlow returns a drawer of a white radial light of the given size; hard is
// how much of the radius is a solid core (0 = a soft glow all the way).
func drawGlow(size int, hard float64) func() image.Image {
	return func() image.Image {
		img := image.NewRGBA(image.Rect(0, 0, size, size))
		r := float32(size) / 2
		glowOver(img, r, r, r, color.RGBA{255, 255, 255, 255}, hard)
		return img
	}
}

// drawShot draws a white streak, brightest at the head (+X); the game tints it
// with the shooter's color.
func drawShot() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, shotW, shotH))
	cx, cy := float64(shotW)/2, float64(shotH)/2
	for y := 0; y < shotH; y++ {
		for x := 0; x < shotW; x++ {
			dx := (float64(x) + 0.5 - cx) / cx
			dy := (float64(y) + 0.5 - cy) / cy
			d := math.Hypot(dx, dy)
			if d >= 1 {
				continue
			}
			a := (1 - d) * (1 - d)
			a *= 0.45 + 0.55*(dx+1)/2 // fade towards the tail
			if d < 0.35 {
				a = math.Max(a, 0.9)
			}
			v := uint8(math.Round(255 * math.Min(1, a)))
			img.SetRGBA(x, y, color.RGBA{v, v, v, v})
		}
	}
	return img
}

// drawIcon draws the window icon: a cyan ship on a dark tile with a grid.
func drawIcon() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, iconSize, iconSize))
	fillPoly(img, color.RGBA{18, 22, 34, 255}, roundedRect(1, 1, iconSize-1, iconSize-1, 10))
	for i := 8; i < iconSize; i += 12 {
		f := float32(i)
		fillPoly(img, color.RGBA{34, 44, 64, 255}, []pt{{f, 4}, {f + 1, 4}, {f + 1, iconSize - 4}, {f, iconSize - 4}})
		fillPoly(img, color.RGBA{34, 44, 64, 255}, []pt{{4, f}, {iconSize - 4, f}, {iconSize - 4, f + 1}, {4, f + 1}})
	}
	ship := drawShip().(*image.RGBA)
	tint(ship, color.RGBA{90, 210, 255, 255})
	// Tilt the ship up and to the right, the way it looks when flying.
	rotated := rotate(ship, -math.Pi/4)
	draw.Draw(img, img.Bounds(), rotated, image.Point{}, draw.Over)
	return img
}

// drawPanel draws the HUD's box: a dark translucent fill with rounded corners
// and a thin light edge, in its final colors.
func drawPanel() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, panelSize, panelSize))
	outer := roundedRect(0, 0, panelSize, panelSize, 9)
	inner := roundedRect(1.25, 1.25, panelSize-1.25, panelSize-1.25, 7.75)
	fillPaths(img, color.RGBA{60, 80, 120, 210}, outer, reversed(inner))
	fillPoly(img, color.RGBA{10, 14, 26, 215}, inner)
	return img
}

// drawRing draws a thin white circle, for the own ship's halo and the
// shock wave of explosions.
func drawRing() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, ringSize, ringSize))
	c := pt{ringSize / 2, ringSize / 2}
	fillPaths(img, color.RGBA{255, 255, 255, 255}, regular(c, 96, ringSize/2-1, 0), reversed(regular(c, 96, ringSize/2-4, 0)))
	return img
}

// drawDot draws a white disc, for markers.
func drawDot() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, dotSize, dotSize))
	fillEllipse(img, color.RGBA{255, 255, 255, 255}, dotSize/2, dotSize/2, dotSize/2-0.5, dotSize/2-0.5)
	return img
}

func fillPoly(dst *image.RGBA, c color.RGBA, pts []pt) { fillPaths(dst, c, pts) }

// fillPaths fills closed polygons together, so that an inner one wound the
// other way cuts a hole.
func fillPaths(dst *image.RGBA, c color.RGBA, polys ...[]pt) {
	b := dst.Bounds()
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	z.DrawOp = draw.Over
	for _, pts := range polys {
		z.MoveTo(pts[0].x, pts[0].y)
		for _, p := range pts[1:] {
			z.LineTo(p.x, p.y)
		}
		z.ClosePath()
	}
	z.Draw(dst, b, image.NewUniform(c), image.Point{})
}

func fillEllipse(dst *image.RGBA, c color.RGBA, cx, cy, rx, ry float32) {
	const segments = 48
	pts := make([]pt, segments)
	for i := range pts {
		a := 2 * math.Pi * float64(i) / segments
		pts[i] = pt{cx + rx*float32(math.Cos(a)), cy + ry*float32(math.Sin(a))}
	}
	fillPoly(dst, c, pts)
}

// glowOver blends a radial light of radius r over dst; alpha falls off as the
// square of the distance past the hard core.
func glowOver(dst *image.RGBA, cx, cy, r float32, c color.RGBA, hard float64) {
	glow := image.NewRGBA(dst.Bounds())
	b := dst.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := math.Hypot(float64(x)+0.5-float64(cx), float64(y)+0.5-float64(cy)) / float64(r)
			if d >= 1 {
				continue
			}
			a := 1.0
			if d > hard {
				t := (d - hard) / (1 - hard)
				a = (1 - t) * (1 - t)
			}
			glow.SetRGBA(x, y, premultiply(c, a))
		}
	}
	draw.Draw(dst, b, glow, b.Min, draw.Over)
}

func premultiply(c color.RGBA, a float64) color.RGBA {
	m := func(v uint8) uint8 { return uint8(math.Round(float64(v) * a)) }
	return color.RGBA{m(c.R), m(c.G), m(c.B), m(c.A)}
}

func tint(img *image.RGBA, c color.RGBA) {
	for i := 0; i+3 < len(img.Pix); i += 4 {
		img.Pix[i] = uint8(uint16(img.Pix[i]) * uint16(c.R) / 255)
		img.Pix[i+1] = uint8(uint16(img.Pix[i+1]) * uint16(c.G) / 255)
		img.Pix[i+2] = uint8(uint16(img.Pix[i+2]) * uint16(c.B) / 255)
	}
}

// rotate turns src about its center by angle radians (nearest neighbour on a
// 4x supersampled grid, which is smooth enough for an icon).
func rotate(src *image.RGBA, angle float64) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(b)
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	sin, cos := math.Sincos(-angle)
	const ss = 4
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			var sum [4]int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := float64(x) + (float64(sx)+0.5)/ss - cx
					py := float64(y) + (float64(sy)+0.5)/ss - cy
					ux := int(math.Floor(px*cos - py*sin + cx))
					uy := int(math.Floor(px*sin + py*cos + cy))
					if !image.Pt(ux, uy).In(b) {
						continue
					}
					c := src.RGBAAt(ux, uy)
					sum[0] += int(c.R)
					sum[1] += int(c.G)
					sum[2] += int(c.B)
					sum[3] += int(c.A)
				}
			}
			dst.SetRGBA(x, y, color.RGBA{uint8(sum[0] / (ss * ss)), uint8(sum[1] / (ss * ss)), uint8(sum[2] / (ss * ss)), uint8(sum[3] / (ss * ss))})
		}
	}
	return dst
}

// reversed returns pts wound the other way: inside a path wound forwards, it
// cuts a hole under the nonzero rule.
func reversed(pts []pt) []pt {
	out := make([]pt, len(pts))
	for i, p := range pts {
		out[len(pts)-1-i] = p
	}
	return out
}

func scale(pts []pt, c pt, f float32) []pt {
	out := make([]pt, len(pts))
	for i, p := range pts {
		out[i] = pt{c.x + (p.x-c.x)*f, c.y + (p.y-c.y)*f}
	}
	return out
}

// star returns a polygon of n spikes between radii outer and inner.
func star(c pt, n int, outer, inner float32, phase float64) []pt {
	pts := make([]pt, 0, 2*n)
	for i := 0; i < 2*n; i++ {
		r := outer
		if i%2 == 1 {
			r = inner
		}
		a := phase + math.Pi*float64(i)/float64(n)
		pts = append(pts, pt{c.x + r*float32(math.Cos(a)), c.y + r*float32(math.Sin(a))})
	}
	return pts
}

func regular(c pt, n int, r float32, phase float64) []pt {
	pts := make([]pt, n)
	for i := range pts {
		a := phase + 2*math.Pi*float64(i)/float64(n)
		pts[i] = pt{c.x + r*float32(math.Cos(a)), c.y + r*float32(math.Sin(a))}
	}
	return pts
}

func roundedRect(x0, y0, x1, y1, r float32) []pt {
	const steps = 8
	corners := []struct {
		c     pt
		start float64
	}{
		{pt{x1 - r, y0 + r}, -math.Pi / 2},
		{pt{x1 - r, y1 - r}, 0},
		{pt{x0 + r, y1 - r}, math.Pi / 2},
		{pt{x0 + r, y0 + r}, math.Pi},
	}
	var pts []pt
	for _, k := range corners {
		for i := 0; i <= steps; i++ {
			a := k.start + math.Pi/2*float64(i)/steps
			pts = append(pts, pt{k.c.x + r*float32(math.Cos(a)), k.c.y + r*float32(math.Sin(a))})
		}
	}
	return pts
}
