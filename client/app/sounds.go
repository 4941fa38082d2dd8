package app

import (
	"time"

	"github.com/skirmish-game/skirmish/client/sound"
	"github.com/skirmish-game/skirmish/game"
)

// maxCues bounds the sounds waiting for their time: past it a new one is
// dropped, which only happens in a storm of shots.
const maxCues = 64

// cue is a sound due at a time: what others do is heard when it is drawn,
// an interpolation delay after the snapshot that told of it. near sounds
// (the own ship's) are not placed in the room.
type cue struct {
	at   time.Time
	e    sound.Effect
	pos  game.Vec
	gain float64
	near bool
}

// hear queues effect e, happening at pos, to sound at at.
func (a *arena) hear(e sound.Effect, pos game.Vec, gain float64, at time.Time) {
	if len(a.cues) < maxCues {
		a.cues = append(a.cues, cue{at: at, e: e, pos: pos, gain: gain})
	}
}

// hearNear queues effect e of the own ship, centred and unattenuated.
func (a *arena) hearNear(e sound.Effect, gain float64, at time.Time) {
	if len(a.cues) < maxCues {
		a.cues = append(a.cues, cue{at: at, e: e, gain: gain, near: true})
	}
}

// playDue plays the cues due at now, placed around the camera's centre:
// the listener is where the player looks, so a spectator hears the fight
// it watches.
func (a *arena) playDue(now time.Time) {
	ear := a.view.cam.Center
	left := a.cues[:0]
	for _, c := range a.cues {
		if c.at.After(now) {
			left = append(left, c)
			continue
		}
		if c.near {
			a.mix.Play(c.e, c.gain, 0)
			continue
		}
		g, pan := sound.Place(ear, c.pos, 0)
		a.mix.Play(c.e, c.gain*g, pan)
	}
	a.cues = left
}
