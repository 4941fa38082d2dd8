package app

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"
)

// playScene is the arena with the player in control.
type playScene struct {
	arena
}

func newPlayScene(g *Game) *playScene { return &playScene{arena{g: g}} }

func (s *playScene) State() string { return StatePlaying }

func (s *playScene) Update(now time.Time) error {
	s.tick(now, true)
	if self, ok := s.selfEntity(); ok && self.Timer > 0 {
		s.g.setScene(&deadScene{arena: s.arena})
	}
	return nil
}

func (s *playScene) Draw(screen *ebiten.Image, now time.Time) {
	s.draw(screen, now)
	s.g.shotReady = s.g.net.state == netJoined && s.g.match.Synced()
}
