package app

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
)

// helpFor is how long a small screen shows the controls in the first game.
const helpFor = 20 * time.Second

// playScene is the arena with the player in control.
type playScene struct {
	*arena
}

func newPlayScene(a *arena) *playScene { return &playScene{a} }

func (s *playScene) State() string { return StatePlaying }

func (s *playScene) Update(now time.Time) (Scene, error) {
	s.tick(now, !s.menu.open)
	self, ok := s.selfEntity()
	if ok && self.Timer > 0 {
		return &deadScene{s.arena}, nil
	}
	if ok && s.life.start.IsZero() {
		s.life.spawned(now)
		if s.helpUntil.IsZero() {
			s.helpUntil = now.Add(helpFor)
		}
	}
	return s, nil
}

func (s *playScene) Draw(screen *ebiten.Image, f *render.Frame) { s.draw(screen, f) }
