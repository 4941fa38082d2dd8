package app

import (
	"time"

	"github.com/skirmish-game/skirmish/client/sound"
	"github.com/skirmish-game/skirmish/game"
)

// maxCues bounds the sounds waiting for their time: past it a new one is
// dropped, which only happens in a storm of shots.
const maxCues = 64

// cueSpacing is the least time between two sounds of one effect made by
// others: a room of bots firing at once would otherwise pile dozens of shots
// a second into a buzz that hides the own ship's sounds, which are never
// thinned.
const cueSpacing = 70 * time.Millisecond

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

// voiceCue is a cue placed for the listener: what the mixer is asked to
// play.
type voiceCue struct {
	e         sound.Effect
	gain, pan float64
}

// fired plays the own shot when the input that fires it goes out, rather
// than a round trip later when the snapshot shows the projectile: exactly
// when the match predicted a shot for it (match.Fired), the shot that is
// drawn, at the level's rate of fire.
func (a *arena) fired(now time.Time) {
	if a.sess.match.Fired() {
		a.hearNear(sound.Shot, 0.45, now)
	}
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
	a.voices = a.dueVoices(a.voices[:0], now, a.view.cam.Center)
	a.sounds += len(a.voices)
	for _, v := range a.voices {
		a.mix.Play(v.e, v.gain, v.pan)
	}
}

// dueVoices takes the cues due at now out of the queue and appends to dst
// what to play of them for a listener at ear: the own sounds all, others'
// within hearing and at most one of an effect per cueSpacing.
func (a *arena) dueVoices(dst []voiceCue, now time.Time, ear game.Vec) []voiceCue {
	if a.lastHeard == nil {
		a.lastHeard = make(map[sound.Effect]time.Time)
	}
	left := a.cues[:0]
	for _, c := range a.cues {
		if c.at.After(now) {
			left = append(left, c)
			continue
		}
		if c.near {
			dst = append(dst, voiceCue{e: c.e, gain: c.gain})
			continue
		}
		g, pan := sound.Place(ear, c.pos, 0)
		if g <= 0 {
			continue
		}
		if last, ok := a.lastHeard[c.e]; ok && now.Sub(last) < cueSpacing {
			continue
		}
		a.lastHeard[c.e] = now
		dst = append(dst, voiceCue{e: c.e, gain: c.gain * g, pan: pan})
	}
	a.cues = left
	return dst
}
