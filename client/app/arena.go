package app

import (
	"log/slog"
	"math"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/sound"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Camera feel.
const (
	leadFactor = 0.18  // the camera leans this far towards the cursor
	leadMax    = 140.0 // world units
	shakePx    = 9.0   // screen pixels at full shake
)

// arena is what the playing and dead scenes share: the session they play
// in, the view they draw through, the tick's netcode work and the drawing of
// the world and the HUD.
type arena struct {
	sess     *session
	view     *view
	rnd      *render.Renderer
	log      *slog.Logger
	mix      *sound.Mixer
	autoplay bool

	// What the player hears and reads of the fight (feedback.go).
	cues      []cue
	voices    []voiceCue                 // playDue's, reused
	sounds    int                        // sounds asked of the mixer since autoplay last logged
	lastHeard map[sound.Effect]time.Time // when others' sounds of each effect last played
	feed      []render.FeedLine
	life      life
	hits      int // own shots that landed, this session

	autoTick  uint64
	aim       float64
	buf       []byte
	nextStats time.Time // autoplay: when to log the netcode's figures next

	// Updates run a few times a net tick (updatesPerTick); pacer says at
	// which ones inputs go, and latch gathers the keys read in between.
	pacer netPacer
	latch inputLatch

	lvl       levelWatch    // the HUD's level line
	helpUntil time.Time     // a small screen shows the controls until then
	prefs     *Settings     // the player's, which the menu changes
	board     netcode.Board // the scoreboard to draw, made by frame
	menu      menu
	ctl       controls
}

// compactBoardRows is how many leaderboard lines a small screen shows.
const compactBoardRows = 5

// tick runs once per Update: it reads the controls (steer says whether the
// player controls the ship: not while dead), sends the inputs of the net
// ticks due, a ping when due, and turns snapshot changes into effects.
func (a *arena) tick(now time.Time, steer bool) {
	m := a.sess.match
	if m == nil || a.sess.net.state != netJoined {
		return
	}
	v := a.view
	hud := render.HUDScale(v.w, v.h, v.scale)
	a.ctl.touch.update(v.w, func(x, y float64) bool { return onMenuButton(x, y, hud) })
	if steer && !a.autoplay {
		a.latch.sample(a.readInput(now))
	} else {
		a.latch = inputLatch{}
	}
	for range a.pacer.due(now) {
		var in game.Input
		switch {
		case a.autoplay:
			in = Autopilot(a.autoTick, m.TickRate())
			a.autoTick++
			a.aim = in.Aim
		case steer:
			h := a.latch.take()
			in = game.Input{Move: h.Move(), Aim: a.aim, Buttons: h.Buttons()}
		default:
			in = game.Input{Aim: a.aim}
		}
		msg := m.NextInput(in, now)
		a.send(&msg)
		a.fired(now)
	}
	if p, ok := m.PingDue(now); ok {
		a.send(&p)
	}
	for _, ev := range m.Events() {
		a.effect(ev, now)
	}
	if self, ok := m.Self(); ok && self.Timer == 0 {
		a.life.score = self.Score
	}
	a.playDue(now)
	if a.autoplay && !now.Before(a.nextStats) {
		a.nextStats = now.Add(autoplayStatsEvery)
		a.logStats(m)
	}
}

// autoplayStatsEvery is how often autoplay logs the netcode's figures, so
// that a run under a simulated network can be read as a player would see
// its HUD.
const autoplayStatsEvery = time.Second

func (a *arena) logStats(m *match.Match) {
	st := m.Stats()
	a.log.Info("net", "rtt", st.RTT, "corrections", st.Corrections, "last_correction", st.LastCorrection, "life_corrections", st.LifeCorrections, "input_delay_server", st.InputDelay,
		"interp_delay", st.InterpDelay, "pending", st.PendingInputs,
		"shots", st.ShotsPredicted, "shots_matched", st.ShotsMatched, "shots_dropped", st.ShotsDropped, "shots_ended_at_once", st.ShotsEndedAtOnce,
		"frames", st.Frames, "extrapolated", st.Extrapolated, "sounds", a.sounds)
	a.sounds = 0
}

func (a *arena) send(msg any) {
	var err error
	if a.buf, err = netcode.Append(a.buf[:0], msg); err != nil {
		a.log.Error("encode", "err", err)
		return
	}
	if err := a.sess.link.Send(a.buf); err != nil {
		a.log.Debug("send", "err", err)
	}
}

// readInput reads the keyboard, mouse, touch screen and gamepads as this
// Update sees them, and the aim: the angle from the own ship (where it is
// drawn at now) to the cursor, or the aim stick's, whichever moved last.
func (a *arena) readInput(now time.Time) held {
	h := held{
		Up:    ebiten.IsKeyPressed(ebiten.KeyW) || ebiten.IsKeyPressed(ebiten.KeyArrowUp),
		Down:  ebiten.IsKeyPressed(ebiten.KeyS) || ebiten.IsKeyPressed(ebiten.KeyArrowDown),
		Left:  ebiten.IsKeyPressed(ebiten.KeyA) || ebiten.IsKeyPressed(ebiten.KeyArrowLeft),
		Right: ebiten.IsKeyPressed(ebiten.KeyD) || ebiten.IsKeyPressed(ebiten.KeyArrowRight),
		// A click shorter than an Update still fires once.
		Fire: ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) || inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) ||
			ebiten.IsKeyPressed(ebiten.KeySpace),
	}
	v, c := a.view, &a.ctl
	s := render.HUDScale(v.w, v.h, v.scale)
	cx, cy := ebiten.CursorPosition()
	if h.Fire && onMenuButton(float64(cx), float64(cy), s) {
		h.Fire = false // the click that opens the menu
	}
	th, taim, touchAimed := c.touch.read(s)
	ph, paim, padAimed := c.readPads()
	h = h.or(th).or(ph)
	if cur := [2]int{cx, cy}; cur != c.cursor {
		c.cursor = cur
		if !c.touch.aim.down {
			c.aimBy = aimMouse
		}
	}
	if c.touch.began {
		c.aimBy = aimTouch // a thumb: the cursor is wherever the last click left it
	}
	c.aiming = touchAimed || padAimed
	switch {
	case touchAimed:
		a.aim, c.aimBy = taim, aimTouch
	case padAimed:
		a.aim, c.aimBy = paim, aimPad
	case c.aimBy == aimMouse:
		sx, sy := v.cam.ToScreen(a.sess.match.SelfPos(now, 0), v.w, v.h)
		a.aim = aimAt(sx, sy, float64(cx), float64(cy), a.aim)
	}
	return h
}

// effect starts the visual effect of a snapshot change, delayed by the
// interpolation delay so that it lines up with what is drawn: others are
// drawn that far in the past.
func (a *arena) effect(ev match.Event, now time.Time) {
	m := a.sess.match
	v := a.view
	fx := &a.rnd.FX
	at := now.Add(m.Stats().InterpDelay)
	lo, hi := v.cam.Visible(v.w, v.h, 40)
	// Something that vanished off screen most likely left the view.
	onScreen := ev.Pos.X >= lo.X && ev.Pos.X <= hi.X && ev.Pos.Y >= lo.Y && ev.Pos.Y <= hi.Y
	seed := ev.Entity.ID
	a.feedback(ev, now, at, onScreen)
	switch ev.Kind {
	case match.Gone:
		if !onScreen {
			return
		}
		switch ev.Entity.Kind {
		case game.KindDrone:
			fx.Explode(ev.Pos, render.ColorDrone, game.DroneRadius, at, seed)
		case game.KindPellet:
			c := render.ColorPellet
			if ev.Entity.Score > game.PelletValue {
				c = render.ColorPelletRich
			}
			fx.Pickup(ev.Pos, c, at)
		case game.KindProjectile:
			c := render.ColorDrone
			if ev.Entity.Owner != 0 {
				c = render.Lighten(render.PlayerColor(ev.Entity.Owner), 0.4)
			}
			when := at
			if ev.Entity.Owner == m.SelfID() {
				when = now // own shots are drawn in the present, and vanish now
			}
			fx.Spark(ev.Pos, c, when, seed)
		}
	case match.Died:
		if ev.Entity.ID == m.SelfID() {
			// The own ship is drawn in the present, so it blows up now,
			// where the server says it died: the camera goes there too.
			fx.Explode(ev.Pos, render.PlayerColor(ev.Entity.ID), game.PlayerRadius*1.4, now, seed)
			v.shake = 1
		} else if onScreen {
			fx.Explode(ev.Pos, render.PlayerColor(ev.Entity.ID), game.PlayerRadius*1.4, at, seed)
		}
	case match.Hurt:
		if ev.Entity.ID == m.SelfID() {
			v.shake = math.Min(1, v.shake+float64(ev.Amount)/40)
		}
	}
}

// frame is the arena's part of Draw's step: it fills f with the match at
// f.Now, makes the scoreboard to draw, and moves the camera, fitted already,
// after the own ship as drawn in this frame (between its ticks), so that
// the two move together on every frame, or after the killer while the own
// ship waits to respawn. dt is the time since the last frame.
func (a *arena) frame(f *render.Frame, dt time.Duration) {
	cam := &a.view.cam
	m := a.sess.match
	if m == nil || !m.Synced() {
		// Nothing of our own yet: drift over the arena, or, while a resumed
		// session waits for its first snapshot, stay where the ship was.
		if !a.sess.net.joined {
			t := f.T * 0.05
			cam.Center = game.Vec{X: f.World.X * (0.5 + 0.3*math.Cos(t)), Y: f.World.Y * (0.5 + 0.3*math.Sin(t*1.3))}
		}
		return
	}
	f.Entities = m.Others(f.Now)
	self, known := m.Self()
	f.Self = render.Self{
		ID: m.SelfID(), Name: self.Name, Pos: m.SelfPos(f.Now, dt), Vel: m.SelfVel(), Aim: a.aim,
		HP: int(self.HP), Score: self.Score, Alive: known && self.Timer == 0, Known: known,
	}
	rows := netcode.MaxBoardEntries
	if render.Compact(f.H, render.HUDScale(f.W, f.H, f.Scale)) {
		rows = compactBoardRows
	}
	a.board = m.LiveBoard(a.board, rows)
	target := f.Self.Pos
	if p, ok := a.killerPos(f); ok {
		target = p
	}
	if !a.autoplay && f.Self.Alive {
		cx, cy := ebiten.CursorPosition()
		cw := cam.ToWorld(float64(cx), float64(cy), f.W, f.H)
		switch {
		case a.ctl.aimBy != aimMouse && a.ctl.aiming:
			// No cursor: lean along the aim, as far as a cursor near the
			// edge would.
			cw = target.Add(game.Vec{X: math.Cos(a.aim), Y: math.Sin(a.aim)}.Scale(leadMax / leadFactor))
		case a.ctl.aimBy != aimMouse:
			cw = target // not aiming: no lean
		}
		lx, ly := (cw.X-target.X)*leadFactor, (cw.Y-target.Y)*leadFactor
		if d := math.Hypot(lx, ly); d > leadMax {
			lx, ly = lx/d*leadMax, ly/d*leadMax
		}
		target = game.Vec{X: target.X + lx, Y: target.Y + ly}
	}
	cam.Follow(target, dt.Seconds())
	if sh := a.view.shake; sh > 0.01 {
		s := sh * shakePx * f.Scale / cam.Zoom
		cam.Center.X += math.Sin(f.T*71) * s
		cam.Center.Y += math.Cos(f.T*53) * s
	}
}

// draw draws the world, the hit feedback, the minimap and the HUD, the
// HUD at a size that follows the screen's (render.HUDScale).
func (a *arena) draw(screen *ebiten.Image, f *render.Frame) {
	a.rnd.DrawWorld(screen, f)
	m := a.sess.match
	if m == nil || !m.Synced() {
		return
	}
	w, h := f.W, f.H
	s := render.HUDScale(w, h, f.Scale)
	compact := render.Compact(h, s)
	a.rnd.DrawMarks(screen, f, s)
	render.DrawFlash(screen, w, h, a.view.flash)
	mini := math.Min(190*s, float64(min(w, h))*0.28)
	a.rnd.DrawMinimap(screen, f, float64(w)-mini-12*s, float64(h)-mini-12*s, mini)

	bx, by, bs := menuButtonRect(s)
	a.rnd.DrawMenuButton(screen, bx, by, bs, s)
	if a.prefs.ShowStats {
		st := m.Stats()
		hs := render.HUDStats{
			RTT: st.RTT, ClockSynced: st.ClockSynced, FPS: ebiten.ActualFPS(), TPS: ebiten.ActualTPS(),
			Tick: m.ServerTick(f.Now), Players: int(m.Board().Players), DownKbps: a.sess.down.Kbps(), UpKbps: a.sess.up.Kbps(),
			Corrections: st.Corrections, InputDelay: st.InputDelay, Room: m.Welcome().Room,
		}
		a.rnd.DrawStats(screen, &hs, 12*s, by+bs+8*s, s)
	}
	self, _ := m.Self()
	rank := render.Ranking{Board: &a.board, Self: m.SelfID(), SelfName: self.Name, SelfScore: self.Score}
	a.rnd.DrawBoard(screen, &rank, float64(w)-12*s, 12*s, s)
	a.rnd.DrawFeed(screen, a.feed, f.Now, w, 12*s, s)
	a.rnd.DrawVitals(screen, int(self.HP), self.Score, w, h, s, mini+24*s)
	lv := a.lvl.observe(m.SelfID(), self.Score, f.Now)
	a.rnd.DrawLevel(screen, &lv, w, h, s, mini+24*s)
	switch {
	case a.ctl.touch.used: // the sticks show where the thumbs go
	case !compact:
		a.rnd.DrawHelp(screen, 12*s, float64(h)-22*s, s)
	case !a.prefs.ShowStats && f.Now.Before(a.helpUntil):
		// A small screen has no room for it at the bottom: under the menu
		// button, for the first moments of the first game.
		a.rnd.DrawHelp(screen, 12*s, by+bs+8*s, s)
	}
	a.rnd.DrawSticks(screen, a.ctl.touch.sticks(), s)
}

// killerPos is where the player that killed the own ship is drawn in f,
// while the own ship waits to respawn: the camera watches it. False when
// alive, killed by a drone, or the killer is out of view or dead itself.
func (a *arena) killerPos(f *render.Frame) (game.Vec, bool) {
	self, ok := a.selfEntity()
	if !ok || self.Timer == 0 || self.Owner == 0 || f.Self.Alive {
		return game.Vec{}, false
	}
	for i := range f.Entities {
		if e := &f.Entities[i]; e.E.ID == self.Owner && e.E.Kind == game.KindPlayer && e.E.Timer == 0 {
			return e.Pos, true
		}
	}
	return game.Vec{}, false
}

// selfEntity is the own player in the newest snapshot.
func (a *arena) selfEntity() (netcode.Entity, bool) {
	if a.sess.match == nil {
		return netcode.Entity{}, false
	}
	return a.sess.match.Self()
}
