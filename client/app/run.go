package app

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/assets"
	"github.com/skirmish-game/skirmish/client/render"
)

// goodbyeWait is how long Run waits, after the window closes, for the link to
// close its connection properly.
const goodbyeWait = time.Second

// Run opens the window (or fills the page) and plays until the window is
// closed, the screenshot hook ends the game, or ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	imgs, err := assets.Load()
	if err != nil {
		return err
	}
	res, err := render.Load(imgs)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	ebiten.SetWindowTitle(pageTitle)
	ebiten.SetWindowSize(cfg.Width, cfg.Height)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetWindowIcon([]image.Image{imgs.Icon})
	// A multiplayer client keeps acknowledging snapshots when it loses
	// focus; stopping would let the server count it as gone.
	ebiten.SetRunnableOnUnfocused(true)
	ebiten.SetTPS(connTick)

	g, err := newGame(ctx, cfg, log, res)
	if err != nil {
		return err
	}
	err = ebiten.RunGame(g)
	cancel()
	g.close(goodbyeWait)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}
