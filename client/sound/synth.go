package sound

import "math"

// SampleRate is the rate of every clip and of the audio context.
const SampleRate = 44100

// fadeOut is how many samples (4 ms) the end of every clip is ramped to
// silence over, so that a clip does not end in a click.
const fadeOut = SampleRate / 250

// noise is a small xorshift generator: each clip has its own fixed seed, so
// the sounds are the same on every start and every machine.
type noise uint32

// next returns a value in [-1, 1).
func (n *noise) next() float64 {
	x := uint32(*n)
	x ^= x << 13
	x ^= x >> 17
	x ^= x << 5
	*n = noise(x)
	return float64(x)/(1<<31) - 1
}

// clip is a mono clip under construction.
type clip []float32

func newClip(seconds float64) clip { return make(clip, int(seconds*SampleRate)) }

// tone adds a sine whose frequency glides exponentially from f0 to f1 (Hz)
// over the clip, shaped by env(t) with t in [0, 1].
func (c clip) tone(f0, f1, amp float64, env func(t float64) float64) clip {
	phase := 0.0
	n := float64(len(c))
	for i := range c {
		t := float64(i) / n
		f := f0 * math.Pow(f1/f0, t)
		phase += 2 * math.Pi * f / SampleRate
		c[i] += float32(amp * env(t) * math.Sin(phase))
	}
	return c
}

// buzz is tone with a square-ish wave (a clipped sine): brighter, for
// blips.
func (c clip) buzz(f0, f1, amp float64, env func(t float64) float64) clip {
	phase := 0.0
	n := float64(len(c))
	for i := range c {
		t := float64(i) / n
		f := f0 * math.Pow(f1/f0, t)
		phase += 2 * math.Pi * f / SampleRate
		s := math.Max(-1, math.Min(1, 2.5*math.Sin(phase))) / 2.5 * 1.6
		c[i] += float32(amp * env(t) * s)
	}
	return c
}

// hiss adds noise through a one-pole low-pass whose cutoff glides from c0
// to c1 (Hz): a rumble when low, a crack when high.
func (c clip) hiss(seed noise, c0, c1, amp float64, env func(t float64) float64) clip {
	n := float64(len(c))
	y := 0.0
	for i := range c {
		t := float64(i) / n
		cut := c0 * math.Pow(c1/c0, t)
		a := 1 - math.Exp(-2*math.Pi*cut/SampleRate)
		y += a * (seed.next() - y)
		c[i] += float32(amp * env(t) * y)
	}
	return c
}

// at places f's sound from start to end seconds of the clip.
func (c clip) at(start, end float64, f func(part clip) clip) clip {
	i, j := int(start*SampleRate), min(int(end*SampleRate), len(c))
	f(c[i:j])
	return c
}

// finish scales the clip to the peak given, fades its end and returns the
// samples.
func (c clip) finish(peak float64) []float32 {
	hi := 0.0
	for _, s := range c {
		hi = math.Max(hi, math.Abs(float64(s)))
	}
	k := 0.0
	if hi > 0 {
		k = peak / hi
	}
	fade := fadeOut
	for i := range c {
		g := k
		if left := len(c) - 1 - i; left < fade {
			g *= float64(left) / float64(fade)
		}
		c[i] = float32(float64(c[i]) * g)
	}
	return c
}

// Envelopes, t in [0, 1].

// decay falls exponentially at rate k after an attack of a few
// milliseconds (the fraction att of the clip).
func decay(k, att float64) func(float64) float64 {
	return func(t float64) float64 {
		if t < att {
			return t / att
		}
		return math.Exp(-k * (t - att))
	}
}

// hold is flat, then falls away over the last quarter.
func hold(t float64) float64 { return math.Min(1, 4*(1-t)) * math.Min(1, t*60) }
