package render

import (
	"bytes"
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/skirmish-game/skirmish/assets"
)

// Resources are the sprites as GPU images, and the fonts.
type Resources struct {
	Ship, Drone, Pellet, Shot, Glow *ebiten.Image
	Ring, Dot, Box                  *ebiten.Image // Box: the 9-slice behind Panel
	Regular, Bold, Mono             *text.GoTextFaceSource
}

// Load uploads the decoded images and parses the Go fonts. Call it after
// Ebiten has started or before RunGame: both are fine for NewImageFromImage.
func Load(imgs *assets.Images) (*Resources, error) {
	regular, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		return nil, fmt.Errorf("render: regular font: %w", err)
	}
	bold, err := text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	if err != nil {
		return nil, fmt.Errorf("render: bold font: %w", err)
	}
	mono, err := text.NewGoTextFaceSource(bytes.NewReader(gomono.TTF))
	if err != nil {
		return nil, fmt.Errorf("render: mono font: %w", err)
	}
	return &Resources{
		Ship:    ebiten.NewImageFromImage(imgs.Ship),
		Drone:   ebiten.NewImageFromImage(imgs.Drone),
		Pellet:  ebiten.NewImageFromImage(imgs.Pellet),
		Shot:    ebiten.NewImageFromImage(imgs.Shot),
		Glow:    ebiten.NewImageFromImage(imgs.Glow),
		Ring:    ebiten.NewImageFromImage(imgs.Ring),
		Dot:     ebiten.NewImageFromImage(imgs.Dot),
		Box:     ebiten.NewImageFromImage(imgs.Panel),
		Regular: regular,
		Bold:    bold,
		Mono:    mono,
	}, nil
}

// Face returns the regular font at size pixels.
func (r *Resources) Face(size float64) *text.GoTextFace {
	return &text.GoTextFace{Source: r.Regular, Size: size}
}

// BoldFace returns the bold font at size pixels.
func (r *Resources) BoldFace(size float64) *text.GoTextFace {
	return &text.GoTextFace{Source: r.Bold, Size: size}
}

// MonoFace returns the monospaced font at size pixels: for figures that
// change every frame, so that they do not shift sideways.
func (r *Resources) MonoFace(size float64) *text.GoTextFace {
	return &text.GoTextFace{Source: r.Mono, Size: size}
}
