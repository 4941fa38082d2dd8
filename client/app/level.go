package app

import (
	"time"

	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/game"
)

// levelWatch follows the own score for the HUD's level line. The level is
// a function of the score (game.LevelFor), so the client sees a level-up
// the moment a snapshot brings the score over a threshold; what it keeps is
// when that was, and the best score seen in this session.
type levelWatch struct {
	self  uint32 // the player watched; another one starts afresh
	level int
	at    time.Time // of the newest level-up; zero: none yet
	best  uint32
}

// observe takes the own player's score at now and returns the HUD's line.
func (l *levelWatch) observe(self, score uint32, now time.Time) render.Level {
	level := game.LevelFor(int(score))
	if self != l.self {
		*l = levelWatch{self: self, level: level}
	}
	if level > l.level {
		l.at = now
	}
	l.level = level
	l.best = max(l.best, score)
	lv := render.Level{Score: score, Best: l.best, Raised: -1}
	if !l.at.IsZero() {
		lv.Raised = now.Sub(l.at).Seconds()
	}
	return lv
}
