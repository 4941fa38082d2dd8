package app

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
)

// deadScene is the arena while the own ship waits to respawn: who did it and
// how long until the next life.
type deadScene struct {
	*arena
}

func (s *deadScene) State() string { return StateDead }

func (s *deadScene) Update(now time.Time) (Scene, error) {
	s.tick(now, false)
	if self, ok := s.selfEntity(); ok && self.Timer == 0 {
		return newPlayScene(s.arena), nil
	}
	return s, nil
}

func (s *deadScene) Draw(screen *ebiten.Image, f *render.Frame) {
	s.draw(screen, f)
	self, ok := s.selfEntity()
	if !ok {
		return
	}
	m := s.sess.match
	killer := "a drone"
	if self.Owner != 0 {
		if name := m.Name(self.Owner); name != "" {
			killer = name
		} else {
			killer = fmt.Sprintf("player %d", self.Owner)
		}
	}
	secs := float64(self.Timer) / float64(m.TickRate())
	b := render.Banner{
		Title: "DESTROYED",
		Lines: []string{"by " + killer, fmt.Sprintf("respawning in %.1f s", secs)},
		Color: render.ColorBorder,
		Dim:   0.25,
		At:    0.7, // below the ship's wreck, which the camera keeps in the middle
	}
	s.rnd.DrawBanner(screen, &b, f.W, f.H, f.Scale)
}
