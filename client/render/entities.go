package render

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Sprite sizes relative to the entities' collision radii: the art has some
// transparent margin and glow around the shape.
const (
	shipSpan   = 3.3  // ship sprite width per player radius
	droneSpan  = 2.15 // drone sprite width per drone radius
	pelletSpan = 4.5  // pellet glow width per pellet radius
	shotLength = 46.0 // world units
	shotGlow   = 40.0
	droneSpin  = 1.3 // radians per second
)

func (r *Renderer) drawPellet(dst *ebiten.Image, f *Frame, e *netcode.Interpolated) {
	x, y := f.toScreen(e.Pos)
	c := ColorPellet
	if e.E.Score > game.PelletValue {
		c = ColorPelletRich
	}
	pulse := 1 + 0.15*math.Sin(f.T*4+float64(e.E.ID))
	size := game.PelletRadius * pelletSpan * pulse * f.Cam.Zoom
	sprite(dst, r.res.Pellet, x, y, 0, size, c, ebiten.BlendLighter)
}

func (r *Renderer) drawDrone(dst *ebiten.Image, f *Frame, e *netcode.Interpolated) {
	x, y := f.toScreen(e.Pos)
	z := f.Cam.Zoom
	sprite(dst, r.res.Glow, x, y, 0, game.DroneRadius*3.2*z, WithAlpha(ColorDrone, 0.22), ebiten.BlendLighter)
	spin := f.T*droneSpin + float64(e.E.ID)*0.7
	sprite(dst, r.res.Drone, x, y, spin, game.DroneRadius*droneSpan*z, color.White, ebiten.BlendSourceOver)
	if int(e.E.HP) < game.DroneHP {
		w := game.DroneRadius * 1.6 * z
		Bar(dst, x-w/2, y-game.DroneRadius*1.45*z, w, 3*f.Scale, float64(e.E.HP)/game.DroneHP, ColorDrone)
	}
}

func (r *Renderer) drawShot(dst *ebiten.Image, f *Frame, e *netcode.Interpolated) {
	x, y := f.toScreen(e.Pos)
	c := ColorDrone
	if e.E.Owner != 0 {
		c = Lighten(PlayerColor(e.E.Owner), 0.35)
	}
	z := f.Cam.Zoom
	angle := math.Atan2(e.Vel.Y, e.Vel.X)
	sprite(dst, r.res.Glow, x, y, 0, shotGlow*z, WithAlpha(c, 0.55), ebiten.BlendLighter)
	// The streak trails behind the head.
	tx, ty := x-math.Cos(angle)*shotLength*z*0.3, y-math.Sin(angle)*shotLength*z*0.3
	sprite(dst, r.res.Shot, tx, ty, angle, shotLength*z, c, ebiten.BlendLighter)
}

// drawShip draws a ship with its engine glow; own adds the aim marker and a
// faint ring, so the player finds their ship at a glance.
func (r *Renderer) drawShip(dst *ebiten.Image, f *Frame, id uint32, pos, vel game.Vec, aim float64, own bool) {
	x, y := f.toScreen(pos)
	z := f.Cam.Zoom
	c := PlayerColor(id)
	if speed := math.Hypot(vel.X, vel.Y); speed > 1 {
		k := math.Min(1, speed/game.PlayerSpeed)
		ex := x - vel.X/speed*game.PlayerRadius*0.9*z
		ey := y - vel.Y/speed*game.PlayerRadius*0.9*z
		flicker := 0.85 + 0.15*math.Sin(f.T*40+float64(id))
		sprite(dst, r.res.Glow, ex, ey, 0, game.PlayerRadius*2.4*z*k*flicker, WithAlpha(Lighten(c, 0.5), 0.9*k), ebiten.BlendLighter)
	}
	sprite(dst, r.res.Glow, x, y, 0, game.PlayerRadius*4*z, WithAlpha(c, 0.16), ebiten.BlendLighter)
	if own {
		sprite(dst, r.res.Ring, x, y, 0, game.PlayerRadius*3.2*z, WithAlpha(c, 0.4), ebiten.BlendSourceOver)
		mx, my := x+math.Cos(aim)*game.PlayerRadius*2.1*z, y+math.Sin(aim)*game.PlayerRadius*2.1*z
		sprite(dst, r.res.Dot, mx, my, 0, 6*f.Scale, WithAlpha(Lighten(c, 0.6), 0.9), ebiten.BlendSourceOver)
	}
	sprite(dst, r.res.Ship, x, y, aim, game.PlayerRadius*shipSpan*z, c, ebiten.BlendSourceOver)
}

// drawLabel puts the name above the ship and its health bar below.
func (r *Renderer) drawLabel(dst *ebiten.Image, f *Frame, id uint32, name string, hp int, score uint32, pos game.Vec) {
	x, y := f.toScreen(pos)
	z := f.Cam.Zoom
	// Sized like the HUD: on a small screen the ships are small too.
	s := HUDScale(f.W, f.H, f.Scale)
	face := r.res.BoldFace(12 * s)
	name, bot := BotName(name)
	if name == "" {
		name = "pilot"
	}
	// Above the own ship's halo and aim marker, so that aiming up does not
	// cover it.
	ty := y - game.PlayerRadius*2.35*z - face.Size
	Text(dst, name, face, x, ty, AlignCenter, Lighten(PlayerColor(id), 0.55))
	if bot { // tagged as on the board, not with the wire's suffix
		r.drawBotTag(dst, x+TextWidth(name, face)/2+4*s, ty+1*s, s, 1)
	}
	w := game.PlayerRadius * 2.2 * z
	frac := float64(hp) / float64(game.StatsFor(int(score)).MaxHP) // max HP grows with the level
	Bar(dst, x-w/2, y+game.PlayerRadius*1.55*z, w, 4*f.Scale, frac, HealthColor(frac))
}
