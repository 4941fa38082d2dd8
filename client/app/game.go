package app

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/game"
)

// connTick is Ebiten's tick rate before a server has told its own.
const connTick = 60

// netState is where the connection stands, as the overlay shows it.
type netState uint8

const (
	netIdle       netState = iota // the connect screen: no link yet
	netConnecting                 // dialing, or waiting for the welcome
	netJoined                     // welcomed; snapshots flow
	netLost                       // dropped; retrying after a wait
	netRejected                   // refused; waits for Enter
)

// Game is the client: it implements ebiten.Game.
type Game struct {
	cfg Config
	log *slog.Logger
	rnd *render.Renderer
	res *render.Resources

	ctx      context.Context
	link     *link.Link
	linkDone chan struct{}

	net struct {
		state   netState
		attempt int
		retryAt time.Time
		err     error
		joined  bool // welcomed at least once
	}
	match   *match.Match
	lastSeq uint32

	scene     Scene
	published string

	cam       render.Camera
	w, h      int
	scale     float64
	start     time.Time
	lastDraw  time.Time
	down, up  *rateMeter
	autoTick  uint64
	aim       float64
	shake     float64
	buf       []byte
	shot      *screenshot
	shotReady bool
}

// newGame returns a Game on its first scene: the connect screen, or straight
// into the arena under autoplay.
func newGame(ctx context.Context, cfg Config, log *slog.Logger, res *render.Resources) (*Game, error) {
	now := time.Now()
	g := &Game{
		cfg: cfg, log: log, res: res, rnd: render.New(res), ctx: ctx,
		start: now, lastDraw: now, scale: 1, w: cfg.Width, h: cfg.Height,
		down: newRateMeter(0), up: newRateMeter(0),
	}
	if cfg.Screenshot != "" {
		g.shot = &screenshot{path: cfg.Screenshot, frames: cfg.ScreenshotFrames}
	}
	if cfg.Autoplay {
		if err := g.join(cfg.Name, cfg.Room); err != nil {
			return nil, err
		}
	} else {
		g.setScene(newConnectScene(g))
	}
	return g, nil
}

// join starts the link and enters the arena, which shows the connecting
// overlay until the welcome.
func (g *Game) join(name, room string) error {
	if name == "" {
		name = fmt.Sprintf("pilot%03d", rand.IntN(1000))
	}
	dial := func(ctx context.Context, url string) (link.Conn, error) {
		c, err := transport.Dial(ctx, url, transport.Options{})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	l, err := link.New(link.Config{URL: g.cfg.Server, Name: name, Room: room}, dial, g.log)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	g.link = l
	g.linkDone = make(chan struct{})
	go func() {
		defer close(g.linkDone)
		_ = l.Run(g.ctx) // Run only returns nil, when ctx is done
	}()
	g.net.state = netConnecting
	g.setScene(newPlayScene(g))
	return nil
}

func (g *Game) setScene(s Scene) {
	g.scene = s
	g.publish()
}

// state is the scene name to publish: the overlay wins over the scene under
// it once the player has been in the game.
func (g *Game) state() string {
	if g.net.joined && g.net.state != netJoined {
		return StateReconnecting
	}
	if g.net.state == netConnecting || g.net.state == netRejected {
		return StateConnect
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
	if g.link != nil {
		in, out := g.link.Traffic()
		g.down.Observe(now, in)
		g.up.Observe(now, out)
	}
	if g.net.state == netRejected && enterPressed() {
		g.net.state = netConnecting
		g.link.Rejoin()
	}
	if err := g.scene.Update(now); err != nil {
		return err
	}
	g.rnd.FX.Prune(now)
	g.shake *= 0.85
	g.publish()
	return nil
}

// Draw implements ebiten.Game.
func (g *Game) Draw(screen *ebiten.Image) {
	now := time.Now()
	g.scene.Draw(screen, now)
	g.drawOverlay(screen, now)
	g.lastDraw = now
	if g.shot != nil && g.shotReady {
		g.shot.frame(screen)
	}
}

// Layout implements ebiten.Game: the screen has one pixel per device pixel,
// so text and lines stay sharp on high-DPI displays and in the browser.
func (g *Game) Layout(outsideWidth, outsideHeight int) (int, int) {
	g.scale = ebiten.Monitor().DeviceScaleFactor()
	if g.scale <= 0 {
		g.scale = 1
	}
	g.w = max(1, int(float64(outsideWidth)*g.scale))
	g.h = max(1, int(float64(outsideHeight)*g.scale))
	return g.w, g.h
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

// seconds is the time since start, which drives animations.
func (g *Game) seconds(now time.Time) float64 { return now.Sub(g.start).Seconds() }

// worldSize is the arena's size: the server's once welcomed.
func (g *Game) worldSize() game.Vec {
	if g.match != nil {
		return g.match.WorldSize()
	}
	return game.Vec{X: game.DefaultWorldSize, Y: game.DefaultWorldSize}
}
