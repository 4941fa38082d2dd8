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

// fired plays the own shot as the input that fires it goes out, rather than
// a round trip later when the snapshot shows the projectile: at the
// server's rate of fire while the trigger is held and the ship alive (the
// server's cooldown counts ticks, so a rare shot may sound a tick off).
func (a *arena) fired(in game.Input, now time.Time) {
	self, ok := a.sess.match.Self()
	if !ok || self.Timer > 0 || in.Buttons&game.ButtonFire == 0 {
		return
	}
	if !a.shotAt.IsZero() && now.Sub(a.shotAt) < time.Duration(game.FireInterval*float64(time.Second)) {
		return
	}
	a.shotAt = now
	a.hearNear(sound.Shot, 0.45, now)
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
