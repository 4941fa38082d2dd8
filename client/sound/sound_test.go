package sound

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
)

func TestSynthesize(t *testing.T) {
	for _, e := range Effects() {
		t.Run(e.String(), func(t *testing.T) {
			s := Synthesize(e)
			require.NotEmpty(t, s)
			assert.Less(t, len(s), 2*SampleRate, "effects are short")
			peak := 0.0
			for _, v := range s {
				require.False(t, math.IsNaN(float64(v)))
				peak = math.Max(peak, math.Abs(float64(v)))
			}
			assert.Greater(t, peak, 0.2, "audible")
			assert.LessOrEqual(t, peak, 0.9, "headroom for several at once")
			assert.InDelta(t, 0, s[len(s)-1], 1e-3, "ends in silence, no click")
			assert.Equal(t, s, Synthesize(e), "the same every time")
		})
	}
	assert.Nil(t, Synthesize(numEffects))
	assert.Equal(t, "unknown", numEffects.String())
}

func TestEffectsDiffer(t *testing.T) {
	seen := map[int]Effect{}
	for _, e := range Effects() {
		n := len(Synthesize(e))
		if prev, ok := seen[n]; ok {
			assert.NotEqual(t, Synthesize(prev), Synthesize(e), "%v and %v", prev, e)
		}
		seen[n] = e
	}
}

func TestPlace(t *testing.T) {
	ear := game.Vec{X: 1000, Y: 1000}
	for _, tc := range []struct {
		name     string
		src      game.Vec
		gain     float64
		panSign  int
		panFull  bool
		gainNear float64
	}{
		{name: "at the ear: full, centred", src: ear, gain: 1},
		{name: "to the right", src: game.Vec{X: 1300, Y: 1000}, panSign: 1},
		{name: "to the left", src: game.Vec{X: 700, Y: 1000}, panSign: -1},
		{name: "far right: panned fully", src: game.Vec{X: 1900, Y: 1000}, panSign: 1, panFull: true},
		{name: "straight below: centred", src: game.Vec{X: 1000, Y: 1500}},
		{name: "out of hearing: silent", src: game.Vec{X: 1000, Y: 1000 + DefaultHearing}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, p := Place(ear, tc.src, 0)
			d := math.Hypot(tc.src.X-ear.X, tc.src.Y-ear.Y)
			switch {
			case d >= DefaultHearing:
				assert.Zero(t, g)
			case d == 0:
				assert.InDelta(t, 1, g, 1e-9)
			default:
				assert.True(t, g > 0 && g < 1, "gain %v", g)
			}
			switch tc.panSign {
			case 1:
				assert.Positive(t, p)
			case -1:
				assert.Negative(t, p)
			default:
				assert.Zero(t, p)
			}
			if tc.panFull {
				assert.InDelta(t, panMax, p, 1e-9)
			}
		})
	}
	near, _ := Place(ear, game.Vec{X: 1100, Y: 1000}, 0)
	far, _ := Place(ear, game.Vec{X: 1600, Y: 1000}, 0)
	assert.Greater(t, near, far, "quieter with distance")
}

func TestStereoEqualPower(t *testing.T) {
	for _, pan := range []float64{-1, -0.5, 0, 0.3, 1} {
		l, r := stereo(1, pan)
		assert.InDelta(t, 2, l*l+r*r, 1e-9, "pan %v", pan)
	}
	l, r := stereo(1, -1)
	assert.InDelta(t, 0, r, 1e-9)
	assert.Greater(t, l, 1.0)
}

func TestVoiceReadsStereo(t *testing.T) {
	v := &voice{clip: []float32{1, -0.5, 0.25}, left: 0.5, right: 2}
	buf := make([]byte, 2*bytesPerFrame+3) // a partial frame is not written
	n, err := v.Read(buf)
	require.NoError(t, err)
	require.Equal(t, 2*bytesPerFrame, n)
	f := func(i int) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:])) }
	assert.Equal(t, []float32{0.5, 2, -0.25, -1}, []float32{f(0), f(1), f(2), f(3)})
	n, err = v.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, bytesPerFrame, n)
	_, err = v.Read(buf)
	assert.ErrorIs(t, err, io.EOF)
}

func TestMixerSilentWithoutOutput(t *testing.T) {
	m := &Mixer{log: slog.New(slog.DiscardHandler), volume: DefaultVolume, probe: make(chan error, 1)}
	m.Play(Shot, 1, 0) // still checking: dropped, no panic
	m.probe <- errors.New("no card")
	m.Update()
	assert.Equal(t, silent, m.state)
	m.Play(Shot, 1, 0)
	assert.Zero(t, m.Playing())
	m.SetVolume(3)
	assert.InDelta(t, 1, m.Volume(), 1e-9)
	s := Silent(slog.New(slog.DiscardHandler))
	s.Update()
	s.Play(Explosion, 1, 0)
	assert.Zero(t, s.Playing())
	m.SetVolume(-1)
	assert.Zero(t, m.Volume())
}

func TestProbeOutputAnswers(t *testing.T) {
	// Whatever this machine has, the check answers rather than hangs, and a
	// failure names what it tried.
	if err := probeOutput(); err != nil {
		assert.ErrorContains(t, err, "no audio output")
	}
}
