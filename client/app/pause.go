package app

import (
	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/sound"
)

// StateMenu is published while the menu is open over the arena.
const StateMenu = "menu"

// inArena reports whether the scene is the arena (playing or dead), where
// the menu opens.
func (g *Game) inArena() bool {
	switch g.scene.(type) {
	case *playScene, *deadScene:
		return true
	}
	return false
}

// updateMenu opens the menu on Esc, Start or its button, and while it is
// open hands it the controls and carries out what it asks. It reports
// whether the player left, so that the Enter or tap that chose Leave is not
// also read by the start screen in the same tick, which would join again.
func (g *Game) updateMenu() (left bool) {
	a := &g.arena
	if !g.inArena() {
		a.menu.open = false
		return false
	}
	c := &a.ctl
	s := render.HUDScale(g.view.w, g.view.h, g.view.scale)
	if !a.menu.open {
		open := c.menuToggled()
		if x, y, ok := c.pointerPressed(); ok && onMenuButton(x, y, s) {
			open = true
		}
		if open {
			a.menu.toggle()
			g.mix.Play(sound.Click, 1, 0)
		}
		return false
	}
	switch a.menu.handle(c.readMenuInput(), &g.prefs, menuRects(g.view.w, g.view.h, s), s) {
	case menuSelected, menuClosed:
		g.mix.Play(sound.Click, 1, 0)
	case menuChanged:
		g.mix.SetVolume(g.prefs.Volume)
		g.mix.Play(sound.Click, 1, 0)
		g.savePrefs()
	case menuLeave:
		g.leave()
		return true
	}
	return false
}

// onMenuButton reports whether the pixel (x, y) is on the menu's button.
func onMenuButton(x, y, s float64) bool {
	bx, by, bs := menuButtonRect(s)
	return render.Rect{X: bx, Y: by, W: bs, H: bs}.Contains(x, y)
}

// drawMenu draws the open menu over the arena.
func (g *Game) drawMenu(screen *ebiten.Image, f *render.Frame) {
	a := &g.arena
	if !a.menu.open || !g.inArena() {
		return
	}
	s := render.HUDScale(f.W, f.H, f.Scale)
	hint := menuHint
	if a.ctl.touch.used {
		hint = "tap an item · tap Resume to play"
	}
	g.rnd.DrawMenu(screen, "PAUSED", hint, a.menu.items(&g.prefs), menuRects(f.W, f.H, s), f.W, f.H, s, f.T)
}

// savePrefs remembers the settings; failing to is worth a line in the log,
// not an interruption.
func (g *Game) savePrefs() {
	if err := g.store.save(g.prefs); err != nil {
		g.log.Warn("settings not saved", "where", g.store.where(), "err", err)
	}
}

// leave ends the game in progress and goes back to the start screen, the
// lobby with its room list as at the first start. The link says goodbye to
// the server by itself once its context is cancelled.
func (g *Game) leave() {
	if g.stopLink != nil {
		g.stopLink()
		g.stopLink = nil
	}
	g.sess.link, g.sess.match, g.sess.lastSeq = nil, nil, 0
	g.sess.net = netStatus{}
	a := &g.arena
	a.cues, a.feed, a.life, a.menu = a.cues[:0], a.feed[:0], life{}, menu{}
	g.view.shake, g.view.flash = 0, 0
	ebiten.SetTPS(connTick)
	cfg := g.cfg
	if g.prefs.Name != "" {
		cfg.Name = g.prefs.Name
	}
	g.log.Info("left the game")
	g.setScene(newLobbyScene(g.ctx, newConnectScene(cfg, &g.view, g.rnd, g.join), g.fleet, g.log))
}
