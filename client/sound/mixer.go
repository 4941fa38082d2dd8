package sound

import (
	"log/slog"
	"math"

	"github.com/hajimehoshi/ebiten/v2/audio"
)

// maxVoices bounds the sounds playing at once: a room firing all at once
// stays a roar instead of a pile of players.
const maxVoices = 24

// DefaultVolume is the master volume of a first start.
const DefaultVolume = 0.7

// state is where the audio output stands.
type state uint8

const (
	pending state = iota // the output check runs
	ready                // the context exists; sounds play
	silent               // no output: nothing plays
)

// Mixer plays the effects. Its methods are for the game loop's goroutine;
// only the output check runs apart, and hands its result over on a channel.
type Mixer struct {
	log    *slog.Logger
	clips  [numEffects][]float32
	volume float64

	state  state
	probe  chan error
	ctx    *audio.Context
	voices []*audio.Player
}

// NewMixer synthesizes every effect (a few milliseconds) and starts checking
// for an audio output in the background; until Update has seen it through,
// Play does nothing.
func NewMixer(log *slog.Logger) *Mixer {
	m := &Mixer{log: log, volume: DefaultVolume, probe: make(chan error, 1)}
	for _, e := range Effects() {
		m.clips[e] = Synthesize(e)
	}
	go func() { m.probe <- probeOutput() }()
	return m
}

// Silent returns a Mixer that plays nothing and opens no audio output, for
// tests of what the game asks to hear.
func Silent(log *slog.Logger) *Mixer {
	return &Mixer{log: log, volume: DefaultVolume, state: silent}
}

// Update takes the output check's result once it is in and starts the audio
// context, or settles into silence; it also lets go of finished voices. Call
// it from the game's Update.
func (m *Mixer) Update() {
	if m.state == pending {
		select {
		case err := <-m.probe:
			if err != nil {
				m.state = silent
				m.log.Info("sound: no audio output, playing silently", "err", err)
				return
			}
			m.ctx = audio.NewContext(SampleRate)
			m.state = ready
		default:
			return
		}
	}
	live := m.voices[:0]
	for _, p := range m.voices {
		if p.IsPlaying() {
			live = append(live, p)
		} else {
			_ = p.Close() // closing a finished player of an in-memory stream fails only if already closed
		}
	}
	clear(m.voices[len(live):])
	m.voices = live
}

// Volume is the master volume, 0..1.
func (m *Mixer) Volume() float64 { return m.volume }

// SetVolume sets the master volume, clamped to 0..1; it applies to the
// sounds that start after it.
func (m *Mixer) SetVolume(v float64) { m.volume = math.Max(0, math.Min(1, v)) }

// Playing counts the voices sounding.
func (m *Mixer) Playing() int { return len(m.voices) }

// Play starts effect e at gain (0..1, before the master volume) and pan
// (-1 left .. 1 right). A sound too quiet to hear, or one past maxVoices, is
// dropped.
func (m *Mixer) Play(e Effect, gain, pan float64) {
	g := gain * m.volume
	if m.state != ready || e >= numEffects || g < 0.01 || len(m.voices) >= maxVoices {
		return
	}
	l, r := stereo(g, pan)
	p, err := m.ctx.NewPlayerF32(&voice{clip: m.clips[e], left: float32(l), right: float32(r)})
	if err != nil {
		m.log.Debug("sound: new player", "effect", e, "err", err)
		return
	}
	p.Play()
	m.voices = append(m.voices, p)
}
