package app

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
)

// Scene names, as published on the page's <body data-state>.
const (
	StateConnect      = "connect"
	StatePlaying      = "playing"
	StateDead         = "dead"
	StateReconnecting = "reconnecting"
)

// ShotLevelUp is the screenshot's scene that is no page state: the game
// while the HUD shows a level-up, so that the level line can be looked at
// without a hook into the game's rules.
const ShotLevelUp = "levelup"

// Scene is one screen of the client. Update runs once per tick and returns
// the scene for the next one (itself to stay). Draw runs once per frame and
// only reads: the frame it is handed is already placed (see Game.step).
type Scene interface {
	// State is the scene's name for the page and the logs.
	State() string
	Update(now time.Time) (Scene, error)
	Draw(screen *ebiten.Image, f *render.Frame)
}
