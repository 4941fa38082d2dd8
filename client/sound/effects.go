package sound

// Effect names one of the game's sounds.
type Effect uint8

// The effects. Hit is the confirmation that the player's own shot landed
// (a bright tick everyone knows from other shooters); Hurt is being hit.
const (
	Shot Effect = iota
	Hit
	Kill
	Hurt
	Explosion
	Pickup
	Death
	Respawn
	Click
	numEffects
)

// String names the effect, for logs and tests.
func (e Effect) String() string {
	names := [numEffects]string{"shot", "hit", "kill", "hurt", "explosion", "pickup", "death", "respawn", "click"}
	if e < numEffects {
		return names[e]
	}
	return "unknown"
}

// Effects lists every effect.
func Effects() []Effect {
	all := make([]Effect, numEffects)
	for i := range all {
		all[i] = Effect(i)
	}
	return all
}

// Synthesize returns effect e as mono samples at SampleRate, peaking below
// 1. It depends on nothing but e.
func Synthesize(e Effect) []float32 {
	switch e {
	case Shot:
		// A laser "pew": a falling sine over a short crack of noise.
		return newClip(0.13).
			tone(1500, 260, 1, decay(7, 0.02)).
			hiss(0x5107, 6000, 1500, 0.35, decay(30, 0.01)).
			finish(0.55)
	case Hit:
		return newClip(0.07).
			buzz(2300, 1900, 1, decay(9, 0.03)).
			tone(4600, 4200, 0.3, decay(12, 0.02)).
			finish(0.6)
	case Kill:
		// Two rising chimes: the hit, twice, a fourth apart.
		return newClip(0.32).
			at(0, 0.16, func(p clip) clip { return p.buzz(1568, 1568, 1, decay(6, 0.03)) }).
			at(0.1, 0.32, func(p clip) clip { return p.buzz(2093, 2093, 1, decay(5, 0.02)) }).
			finish(0.6)
	case Hurt:
		// A dull thump close to the ear.
		return newClip(0.2).
			tone(170, 60, 1, decay(6, 0.02)).
			hiss(0x4057, 1800, 300, 0.8, decay(10, 0.01)).
			finish(0.8)
	case Explosion:
		return newClip(0.8).
			hiss(0xe3b1, 2400, 90, 1, decay(5, 0.01)).
			tone(90, 35, 0.8, decay(4, 0.02)).
			finish(0.85)
	case Pickup:
		return newClip(0.09).
			at(0, 0.045, func(p clip) clip { return p.buzz(988, 988, 1, hold) }).
			at(0.045, 0.09, func(p clip) clip { return p.buzz(1480, 1480, 1, hold) }).
			finish(0.3)
	case Death:
		// The own ship: a long falling whine over the blast.
		return newClip(1.1).
			buzz(520, 70, 0.7, decay(2.5, 0.01)).
			hiss(0xdead, 3000, 60, 1, decay(3.5, 0.01)).
			finish(0.85)
	case Respawn:
		// A rising arpeggio, C E G C.
		c := newClip(0.5)
		for i, f := range []float64{523, 659, 784, 1047} {
			start := float64(i) * 0.09
			c.at(start, start+0.2, func(p clip) clip { return p.tone(f, f, 1, decay(5, 0.05)) })
		}
		return c.finish(0.5)
	case Click:
		return newClip(0.03).buzz(1200, 900, 1, decay(12, 0.05)).finish(0.35)
	}
	return nil
}
