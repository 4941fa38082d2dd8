package app

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/netcode"
)

// deadScene is the arena while the own ship waits to respawn: who did it and
// how long until the next life.
type deadScene struct {
	arena
}

func (s *deadScene) State() string { return StateDead }

func (s *deadScene) Update(now time.Time) error {
	s.tick(now, false)
	if self, ok := s.selfEntity(); ok && self.Timer == 0 {
		s.g.setScene(newPlayScene(s.g))
	}
	return nil
}

func (s *deadScene) Draw(screen *ebiten.Image, now time.Time) {
	g := s.g
	s.draw(screen, now)
	g.shotReady = g.net.state == netJoined
	self, ok := s.selfEntity()
	if !ok {
		return
	}
	killer := "a drone"
	if self.Owner != 0 {
		if name := g.match.Name(self.Owner); name != "" {
			killer = name
		} else {
			killer = fmt.Sprintf("player %d", self.Owner)
		}
	}
	secs := float64(self.Timer) / float64(g.match.TickRate())
	b := render.Banner{
		Title: "DESTROYED",
		Lines: []string{"by " + killer, fmt.Sprintf("respawning in %.1f s", secs)},
		Color: render.ColorBorder,
		Dim:   0.25,
		At:    0.7, // below the ship's wreck, which the camera keeps in the middle
	}
	g.rnd.DrawBanner(screen, &b, g.w, g.h, g.scale)
}

// selfEntity is the own player in the newest snapshot.
func (a *arena) selfEntity() (netcode.Entity, bool) {
	if a.g.match == nil {
		return netcode.Entity{}, false
	}
	return a.g.match.Self()
}
