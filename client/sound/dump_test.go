package sound

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// dumpEnv names a directory to write every effect into as a WAV file, to
// listen to them without the game: SKIRMISH_SOUND_DUMP=/tmp/fx go test
// -run TestDumpWAV ./client/sound
const dumpEnv = "SKIRMISH_SOUND_DUMP"

func TestDumpWAV(t *testing.T) {
	dir := os.Getenv(dumpEnv)
	if dir == "" {
		t.Skip("set " + dumpEnv + " to a directory to write the effects as WAV files")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, e := range Effects() {
		path := filepath.Join(dir, e.String()+".wav")
		require.NoError(t, os.WriteFile(path, wav(Synthesize(e)), 0o644))
		t.Logf("wrote %s", path)
	}
}

func TestWAVHeader(t *testing.T) {
	data := wav([]float32{0, 1, -1})
	require.Len(t, data, 44+6)
	require.Equal(t, "RIFF", string(data[:4]))
	require.Equal(t, "WAVE", string(data[8:12]))
	require.Equal(t, uint32(SampleRate), binary.LittleEndian.Uint32(data[24:]))
	require.Equal(t, int16(math.MaxInt16), int16(binary.LittleEndian.Uint16(data[46:])))
}

// wav is a mono 16-bit PCM WAV file of samples.
func wav(samples []float32) []byte {
	n := uint32(len(samples) * 2)
	b := make([]byte, 0, 44+n)
	le := binary.LittleEndian
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, 36+n)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)
	b = le.AppendUint16(b, 1) // PCM
	b = le.AppendUint16(b, 1) // mono
	b = le.AppendUint32(b, SampleRate)
	b = le.AppendUint32(b, SampleRate*2)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 16)
	b = append(b, "data"...)
	b = le.AppendUint32(b, n)
	for _, s := range samples {
		b = le.AppendUint16(b, uint16(int16(math.Round(float64(max(-1, min(1, s)))*math.MaxInt16))))
	}
	return b
}
