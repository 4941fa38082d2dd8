package app

import (
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Camera feel.
const (
	maxFrameDt = 100 * time.Millisecond // a longer frame (a stall) is not animated through
	leadFactor = 0.18                   // the camera leans this far towards the cursor
	leadMax    = 140.0                  // world units
	shakePx    = 9.0                    // screen pixels at full shake
)

// arena is what the playing and dead scenes share: the tick's netcode work
// and the drawing of the world and the HUD.
type arena struct {
	g *Game
}

// tick sends this tick's input (steer says whether the player controls the
// ship: not while dead), a ping when due, and turns snapshot changes into
// effects.
func (a *arena) tick(now time.Time, steer bool) {
	g := a.g
	m := g.match
	if m == nil || g.net.state != netJoined {
		return
	}
	var in game.Input
	switch {
	case g.cfg.Autoplay:
		in = Autopilot(g.autoTick, m.TickRate())
		g.autoTick++
		g.aim = in.Aim
	case steer:
		in = a.readInput()
	default:
		in = game.Input{Aim: g.aim}
	}
	msg := m.NextInput(in)
	a.send(&msg)
	if p, ok := m.PingDue(now); ok {
		a.send(&p)
	}
	for _, ev := range m.Events() {
		a.effect(ev, now)
	}
}

func (a *arena) send(msg any) {
	g := a.g
	var err error
	if g.buf, err = netcode.Append(g.buf[:0], msg); err != nil {
		g.log.Error("encode", "err", err)
		return
	}
	if err := g.link.Send(g.buf); err != nil {
		g.log.Debug("send", "err", err)
	}
}

// readInput maps the keyboard and mouse to an input; the aim is the angle
// from the own ship on screen to the cursor.
func (a *arena) readInput() game.Input {
	g := a.g
	held := held{
		Up:    ebiten.IsKeyPressed(ebiten.KeyW) || ebiten.IsKeyPressed(ebiten.KeyArrowUp),
		Down:  ebiten.IsKeyPressed(ebiten.KeyS) || ebiten.IsKeyPressed(ebiten.KeyArrowDown),
		Left:  ebiten.IsKeyPressed(ebiten.KeyA) || ebiten.IsKeyPressed(ebiten.KeyArrowLeft),
		Right: ebiten.IsKeyPressed(ebiten.KeyD) || ebiten.IsKeyPressed(ebiten.KeyArrowRight),
		// A click shorter than a tick still fires once.
		Fire: ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) || inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) ||
			ebiten.IsKeyPressed(ebiten.KeySpace),
	}
	cx, cy := ebiten.CursorPosition()
	sx, sy := g.cam.ToScreen(g.match.SelfPos(0), g.w, g.h)
	g.aim = aimAt(sx, sy, float64(cx), float64(cy), g.aim)
	return game.Input{Move: held.Move(), Aim: g.aim, Buttons: held.Buttons()}
}

// effect starts the visual effect of a snapshot change, delayed by the
// interpolation delay so that it lines up with what is drawn: others are
// drawn that far in the past.
func (a *arena) effect(ev match.Event, now time.Time) {
	g := a.g
	m := g.match
	at := now.Add(m.Stats().InterpDelay)
	lo, hi := g.cam.Visible(g.w, g.h, 40)
	// Something that vanished off screen most likely left the view.
	onScreen := ev.Pos.X >= lo.X && ev.Pos.X <= hi.X && ev.Pos.Y >= lo.Y && ev.Pos.Y <= hi.Y
	seed := ev.Entity.ID
	switch ev.Kind {
	case match.Gone:
		if !onScreen {
			return
		}
		switch ev.Entity.Kind {
		case game.KindDrone:
			g.rnd.FX.Explode(ev.Pos, render.ColorDrone, game.DroneRadius, at, seed)
		case game.KindPellet:
			c := render.ColorPellet
			if ev.Entity.Score > game.PelletValue {
				c = render.ColorPelletRich
			}
			g.rnd.FX.Pickup(ev.Pos, c, at)
		case game.KindProjectile:
			c := render.ColorDrone
			if ev.Entity.Owner != 0 {
				c = render.Lighten(render.PlayerColor(ev.Entity.Owner), 0.4)
			}
			g.rnd.FX.Spark(ev.Pos, c, at, seed)
		}
	case match.Died:
		if ev.Entity.ID == m.SelfID() {
			// The own ship is drawn in the present, so it blows up now,
			// where the server says it died: the camera goes there too.
			g.rnd.FX.Explode(ev.Pos, render.PlayerColor(ev.Entity.ID), game.PlayerRadius*1.4, now, seed)
			g.shake = 1
		} else if onScreen {
			g.rnd.FX.Explode(ev.Pos, render.PlayerColor(ev.Entity.ID), game.PlayerRadius*1.4, at, seed)
		}
	case match.Hurt:
		if ev.Entity.ID == m.SelfID() {
			g.shake = math.Min(1, g.shake+float64(ev.Amount)/40)
		}
	}
}

// frame places the camera and gathers what to draw at now.
func (a *arena) frame(now time.Time) *render.Frame {
	g := a.g
	dt := min(max(now.Sub(g.lastDraw), 0), maxFrameDt)
	f := &render.Frame{
		Cam: &g.cam, W: g.w, H: g.h, Scale: g.scale, Now: now, T: g.seconds(now),
		World: g.worldSize(),
	}
	g.cam.Fit(g.w, g.h, g.cfg.View)
	m := g.match
	if m == nil || !m.Synced() {
		// Nothing of our own yet: drift over the arena, or, while a resumed
		// session waits for its first snapshot, stay where the ship was.
		if !g.net.joined {
			t := f.T * 0.05
			g.cam.Center = game.Vec{X: f.World.X * (0.5 + 0.3*math.Cos(t)), Y: f.World.Y * (0.5 + 0.3*math.Sin(t*1.3))}
		}
		return f
	}
	f.Entities = m.Others(now)
	self, known := m.Self()
	f.Self = render.Self{
		ID: m.SelfID(), Name: self.Name, Pos: m.SelfPos(dt), Vel: m.SelfVel(), Aim: g.aim,
		HP: int(self.HP), Alive: known && self.Timer == 0, Known: known,
	}
	target := f.Self.Pos
	if !g.cfg.Autoplay && f.Self.Alive {
		cx, cy := ebiten.CursorPosition()
		cw := g.cam.ToWorld(float64(cx), float64(cy), g.w, g.h)
		lx, ly := (cw.X-target.X)*leadFactor, (cw.Y-target.Y)*leadFactor
		if d := math.Hypot(lx, ly); d > leadMax {
			lx, ly = lx/d*leadMax, ly/d*leadMax
		}
		target = game.Vec{X: target.X + lx, Y: target.Y + ly}
	}
	g.cam.Follow(target, dt.Seconds())
	if g.shake > 0.01 {
		s := g.shake * shakePx * g.scale / g.cam.Zoom
		g.cam.Center.X += math.Sin(f.T*71) * s
		g.cam.Center.Y += math.Cos(f.T*53) * s
	}
	return f
}

// draw draws the world, the minimap and the HUD.
func (a *arena) draw(screen *ebiten.Image, now time.Time) *render.Frame {
	g := a.g
	f := a.frame(now)
	g.rnd.DrawWorld(screen, f)
	m := g.match
	if m == nil || !m.Synced() {
		return f
	}
	s := g.scale
	mini := math.Min(190*s, float64(min(g.w, g.h))*0.28)
	g.rnd.DrawMinimap(screen, f, float64(g.w)-mini-12*s, float64(g.h)-mini-12*s, mini)

	st := m.Stats()
	hs := render.HUDStats{
		RTT: st.RTT, ClockSynced: st.ClockSynced, FPS: ebiten.ActualFPS(), TPS: ebiten.ActualTPS(),
		Tick: m.ServerTick(now), Players: int(m.Board().Players), DownKbps: g.down.Kbps(), UpKbps: g.up.Kbps(),
		Corrections: st.Corrections, Room: m.Welcome().Room,
	}
	g.rnd.DrawStats(screen, &hs, 12*s, 12*s, s)
	self, _ := m.Self()
	rank := render.Ranking{Board: m.Board(), Self: m.SelfID(), SelfName: self.Name, SelfScore: self.Score}
	g.rnd.DrawBoard(screen, &rank, float64(g.w)-12*s, 12*s, s)
	g.rnd.DrawVitals(screen, int(self.HP), self.Score, g.w, g.h, s, mini+24*s)
	g.rnd.DrawHelp(screen, g.h, s)
	return f
}
