//go:build linux && !android

package sound

import (
	"errors"
	"fmt"

	"github.com/ebitengine/purego"
	"github.com/jfreymuth/pulse"
)

// alsaNonBlock is SND_PCM_NONBLOCK: the check must not wait for a device
// another program holds.
const alsaNonBlock = 1

// errNoOutput is wrapped by probeOutput's error.
var errNoOutput = errors.New("sound: no audio output")

// probeOutput checks for the outputs Ebiten's Linux backend (oto) tries, in
// its order: a PulseAudio (or PipeWire) server, then the ALSA devices
// "default" and "plug:default" through libasound.so.2 (loaded with dlopen,
// so no cgo and no package at build time). Ebiten finds out only after the
// game started, and then ends it with an error; a machine with no sound card
// (a server, Xvfb in CI) must instead play silently.
func probeOutput() error {
	c, errPulse := pulse.NewClient()
	if errPulse == nil {
		c.Close()
		return nil
	}
	errALSA := probeALSA()
	if errALSA == nil {
		return nil
	}
	return fmt.Errorf("%w: PulseAudio: %w; ALSA: %w", errNoOutput, errPulse, errALSA)
}

// quietALSA is an ALSA error handler that ignores its arguments (the
// variadic ones included, which the C calling convention lets a callee
// ignore). purego never frees a callback, and a client probes once.
func quietALSA() uintptr {
	return purego.NewCallback(func(file uintptr, line int32, function uintptr, err int32, format uintptr) uintptr { return 0 })
}

func probeALSA() error {
	lib, err := purego.Dlopen("libasound.so.2", purego.RTLD_LAZY|purego.RTLD_GLOBAL)
	if err != nil {
		return fmt.Errorf("load libasound.so.2: %w", err)
	}
	defer purego.Dlclose(lib)
	var (
		open    func(pcm *uintptr, name string, stream, mode int32) int32
		close   func(pcm uintptr) int32
		onError func(handler uintptr) int32
	)
	purego.RegisterLibFunc(&open, lib, "snd_pcm_open")
	purego.RegisterLibFunc(&close, lib, "snd_pcm_close")
	purego.RegisterLibFunc(&onError, lib, "snd_lib_error_set_handler")
	// libasound prints every step of a failed open to stderr (a dozen
	// lines on a machine without a card); the answer is all the probe
	// needs. 0 puts its own printer back afterwards.
	onError(quietALSA())
	defer onError(0)
	var codes []int32
	for _, name := range []string{"default", "plug:default"} {
		var pcm uintptr
		if rc := open(&pcm, name, 0, alsaNonBlock); rc < 0 {
			codes = append(codes, rc)
			continue
		}
		close(pcm)
		return nil
	}
	return fmt.Errorf("snd_pcm_open: no playback device (errors %v)", codes)
}
