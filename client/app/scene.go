package app

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// Scene names, as published on the page's <body data-state>.
const (
	StateConnect      = "connect"
	StatePlaying      = "playing"
	StateDead         = "dead"
	StateReconnecting = "reconnecting"
)

// Scene is one screen of the client. Update runs once per tick, Draw once per
// frame.
type Scene interface {
	// State is the scene's name for the page and the logs.
	State() string
	Update(now time.Time) error
	Draw(screen *ebiten.Image, now time.Time)
}
