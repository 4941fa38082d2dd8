package app

import (
	"fmt"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/sound"
)

// deadScene is the arena while the own ship waits to respawn: the camera
// watches the killer (arena.killerPos), and a summary says who did it, how
// the life went and how long until the next.
type deadScene struct {
	*arena
}

func (s *deadScene) State() string { return StateDead }

func (s *deadScene) Update(now time.Time) (Scene, error) {
	s.tick(now, false)
	if self, ok := s.selfEntity(); ok && self.Timer == 0 {
		s.life.spawned(now)
		s.hearNear(sound.Respawn, 0.7, now)
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
	end := s.life.last
	killer := "a drone"
	if self.Owner != 0 {
		name, bot := render.BotName(playerName(s.sess.match.Name(self.Owner), self.Owner))
		killer = feedText(name, bot)
	}
	by := "by " + killer
	if _, watching := s.killerPos(f); watching {
		by += " · watching them"
	}
	score := fmt.Sprintf("score %d", self.Score)
	if end.lost > 0 {
		score += fmt.Sprintf(" (bounty lost: %d)", end.lost)
	}
	secs := float64(self.Timer) / float64(s.sess.match.TickRate())
	b := render.Banner{
		Title: "DESTROYED",
		Lines: []string{
			by,
			fmt.Sprintf("alive %s · %s · %s", clock(end.alive), plural(end.kills, "kill"), score),
			fmt.Sprintf("respawning in %.1f s", secs),
		},
		Color: render.ColorBorder,
		Dim:   0.2,
		At:    0.72, // below the middle, where the camera keeps what it watches
	}
	s.rnd.DrawBanner(screen, &b, f.W, f.H, render.HUDScale(f.W, f.H, f.Scale))
}

// clock is a duration as m:ss.
func clock(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// plural is "1 kill", "2 kills".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
