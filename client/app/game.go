package app

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/sound"
	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/game"
)

// connTick is Ebiten's tick rate before a server has told its own.
const connTick = 60

// shakeFade is what is left of the screen shake after a second: 0.85 a 30th
// of a second, whatever the Update rate.
const shakeFade = 0.0076

// maxFrameDt bounds the time one frame animates: a longer frame (a stall)
// is not animated through.
const maxFrameDt = 100 * time.Millisecond

// Game is the client: it implements ebiten.Game. Scenes see only what they
// need of it: the session (link and match) and the view (camera, shake,
// size), through the arena they share.
type Game struct {
	cfg Config
	log *slog.Logger
	ctx context.Context
	rnd *render.Renderer
	mix *sound.Mixer

	prefs Settings // the menu's, remembered in store
	store settingsStore

	sess     session
	fleet    *fleet
	view     view
	arena    arena
	linkDone chan struct{}
	stopLink context.CancelFunc // ends the link of the game in progress

	scene     Scene
	published string

	start    time.Time // drives animations
	lastDraw time.Time
	shot     *screenshot
}

// newGame returns a Game on its first scene: the connect screen, or straight
// into the arena under autoplay.
func newGame(ctx context.Context, cfg Config, log *slog.Logger, res *render.Resources) (*Game, error) {
	now := time.Now()
	g := &Game{
		cfg: cfg, log: log, ctx: ctx, rnd: render.New(res),
		sess:  session{down: newRateMeter(0), up: newRateMeter(0)},
		view:  view{w: cfg.Width, h: cfg.Height, scale: 1},
		start: now, lastDraw: now, store: newSettingsStore(),
	}
	prefs, err := g.store.load()
	if err != nil {
		log.Warn("settings not loaded, using the defaults", "where", g.store.where(), "err", err)
	}
	g.prefs = prefs
	if cfg.Name == "" {
		g.cfg.Name = prefs.Name
	}
	g.mix = sound.NewMixer(log)
	g.mix.SetVolume(prefs.Volume)
	g.arena = arena{sess: &g.sess, view: &g.view, rnd: g.rnd, log: log, mix: g.mix, autoplay: cfg.Autoplay, prefs: &g.prefs}
	if g.fleet, err = newFleet(cfg.Server, log); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	if cfg.Screenshot != "" {
		g.shot = &screenshot{path: cfg.Screenshot, frames: cfg.ScreenshotFrames}
	}
	if cfg.Autoplay {
		s, err := g.join(g.cfg.Name, cfg.Room)
		if err != nil {
			return nil, err
		}
		g.setScene(s)
	} else {
		g.setScene(newLobbyScene(ctx, newConnectScene(g.cfg, &g.view, g.rnd, g.join), g.fleet, log))
	}
	return g, nil
}

// The link takes the transport's arrival times only if their types agree.
var _ interface {
	Arrivals() (<-chan link.Arrival, bool)
} = (*transport.Conn)(nil)

// join starts the link and returns the arena, which shows the connecting
// overlay until the welcome.
func (g *Game) join(name, room string) (Scene, error) {
	if name == "" {
		name = fmt.Sprintf("pilot%03d", rand.IntN(1000))
	} else if !g.cfg.Autoplay && name != g.prefs.Name {
		// A name typed in is the next game's too; scripted runs (tests,
		// demos) leave the player's settings alone.
		g.prefs.Name = name
		g.savePrefs()
	}
	dial := func(ctx context.Context, url string) (link.Conn, error) {
		c, err := transport.Dial(ctx, url, transport.Options{Stamp: true, Sim: g.cfg.Sim})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	l, err := link.New(link.Config{URL: g.cfg.Server, Name: name, Room: room, Match: g.fleet.seat}, dial, g.log)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	g.sess.link = l
	ctx, stop := context.WithCancel(g.ctx)
	g.stopLink = stop
	done := make(chan struct{})
	g.linkDone = done
	go func() {
		defer close(done)
		_ = l.Run(ctx) // Run only returns nil, when ctx is done
	}()
	g.sess.net.state = netConnecting
	return newPlayScene(&g.arena), nil
}

func (g *Game) setScene(s Scene) {
	g.scene = s
	g.publish()
}

// state is the scene name to publish: the overlay wins over the scene under
// it once the player has been in the game.
func (g *Game) state() string {
	n := &g.sess.net
	if n.joined && n.state != netJoined {
		return StateReconnecting
	}
	if n.state == netConnecting || n.state == netRejected {
		return StateConnect
	}
	if g.arena.menu.open && g.inArena() {
		return StateMenu
	}
	return g.scene.State()
}

func (g *Game) publish() {
	if s := g.state(); s != g.published {
		g.published = s
		publishState(s)
		g.log.Info("scene", "state", s)
	}
}

// Update implements ebiten.Game.
func (g *Game) Update() error {
	now := time.Now()
	if g.ctx.Err() != nil {
		return ebiten.Termination
	}
	if g.shot != nil && g.shot.done {
		if g.shot.err != nil {
			return g.shot.err
		}
		g.log.Info("screenshot written", "path", g.shot.path, "frames", g.shot.frames)
		return ebiten.Termination
	}
	g.pump(now)
	if l := g.sess.link; l != nil {
		in, out := l.Traffic()
		g.sess.down.Observe(now, in)
		g.sess.up.Observe(now, out)
	}
	if g.sess.net.state == netRejected && enterPressed() {
		g.sess.net.state = netConnecting
		g.sess.link.Rejoin()
	}
	g.mix.Update()
	if !g.updateMenu() {
		next, err := g.scene.Update(now)
		if err != nil {
			return err
		}
		g.setScene(next)
	}
	g.rnd.FX.Prune(now)
	g.rnd.Marks.Prune(now)
	g.arena.pruneFeed(now)
	fade := math.Pow(shakeFade, 1/float64(ebiten.TPS()))
	g.view.shake *= fade
	g.view.flash *= fade
	g.publish()
	return nil
}

// Draw implements ebiten.Game. Its first step is the only one that changes
// anything; the scene and the overlay then only read.
func (g *Game) Draw(screen *ebiten.Image) {
	f, capture := g.step(time.Now())
	g.scene.Draw(screen, f)
	g.drawMenu(screen, f)
	g.drawOverlay(screen, f)
	if capture {
		// The screenshot reads the finished picture back, so it comes last.
		g.shot.write(screen)
	}
}

// step is Draw's per-frame change, all of it, made before anything is
// drawn: it advances the frame clock, places the camera (drifting over the
// arena before there is a ship, else following it, leaning towards the
// cursor and shaken by hits), gathers what the frame shows, and counts the
// frame towards the screenshot, reporting whether this one is to be written.
func (g *Game) step(now time.Time) (f *render.Frame, capture bool) {
	dt := min(max(now.Sub(g.lastDraw), 0), maxFrameDt)
	g.lastDraw = now
	v := &g.view
	f = &render.Frame{
		Cam: &v.cam, W: v.w, H: v.h, Scale: v.scale, Now: now, T: now.Sub(g.start).Seconds(),
		World: g.sess.worldSize(),
	}
	v.cam.Fit(v.w, v.h, g.cfg.View)
	if g.sess.net.state == netIdle {
		// The connect screen, under the form: circle the arena's middle.
		v.cam.Center = game.Vec{X: f.World.X/2 + 900*math.Cos(f.T*0.04), Y: f.World.Y/2 + 900*math.Sin(f.T*0.05)}
	} else {
		g.arena.frame(f, dt)
	}
	return f, g.shot != nil && g.shot.count(g.shotReady())
}

// shotReady says whether this frame counts towards the screenshot: the game
// itself, with snapshots flowing and, when alive, the own ship known.
func (g *Game) shotReady() bool {
	if g.cfg.ScreenshotOf == StateConnect {
		l, ok := g.scene.(*lobbyScene)
		return ok && l.list.loaded
	}
	if g.sess.net.state != netJoined {
		return false
	}
	if g.cfg.ScreenshotOf == ShotLevelUp && g.arena.lvl.at.IsZero() {
		return false
	}
	switch g.scene.(type) {
	case *playScene:
		return g.sess.match.Synced()
	case *deadScene:
		return true
	}
	return false
}

// Layout implements ebiten.Game: the screen has one pixel per device pixel,
// so text and lines stay sharp on high-DPI displays and in the browser.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	v := &g.view
	v.scale = ebiten.Monitor().DeviceScaleFactor()
	if v.scale <= 0 {
		v.scale = 1
	}
	v.w = max(1, int(float64(outsideWidth)*v.scale))
	v.h = max(1, int(float64(outsideHeight)*v.scale))
	return v.w, v.h
}

// close stops the link and waits briefly for it to say goodbye.
func (g *Game) close(wait time.Duration) {
	if g.linkDone == nil {
		return
	}
	select {
	case <-g.linkDone:
	case <-time.After(wait):
	}
}
