package sound

import (
	"encoding/binary"
	"io"
	"math"
)

// bytesPerFrame is one stereo frame of 32-bit float samples, the format of
// audio.Context.NewPlayerF32.
const bytesPerFrame = 8

// voice reads a mono clip as interleaved little-endian float32 stereo, each
// ear at its own gain: the pan is baked in as the clip is read, so a clip is
// stored once and played anywhere.
type voice struct {
	clip        []float32
	left, right float32
	pos         int
}

func (v *voice) Read(p []byte) (int, error) {
	if v.pos >= len(v.clip) {
		return 0, io.EOF
	}
	n := 0
	for n+bytesPerFrame <= len(p) && v.pos < len(v.clip) {
		s := v.clip[v.pos]
		binary.LittleEndian.PutUint32(p[n:], math.Float32bits(s*v.left))
		binary.LittleEndian.PutUint32(p[n+4:], math.Float32bits(s*v.right))
		n += bytesPerFrame
		v.pos++
	}
	return n, nil
}
