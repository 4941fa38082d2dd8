// Package sound is the client's audio: effects synthesized from code at
// startup (no recorded samples, so no licence to track and no bytes in the
// download), placed in stereo by where they happen relative to the listener,
// and played through Ebiten's audio package under one master volume.
//
// The synthesis (synth.go, effects.go) and the placement (spatial.go) are
// pure and tested without a sound card. Mixer owns the Ebiten audio context;
// on Linux it first checks that an output exists (PulseAudio or an ALSA
// device), because Ebiten ends the game with an error when its audio backend
// fails to start. Without one the Mixer logs a line and stays silent.
package sound
