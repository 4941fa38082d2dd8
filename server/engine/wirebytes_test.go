package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

var updateWireBytes = flag.Bool("update-wire-bytes", false, "rewrite testdata/wirebytes.txt from the current code")

// hashSocket hashes every message written to it, in order, with its opcode.
type hashSocket struct {
	mu     sync.Mutex
	h      hash.Hash
	frames int
}

func (s *hashSocket) WriteMessage(op gws.Opcode, p []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.h.Write([]byte{byte(op)})
	s.h.Write(p)
	s.frames++
	return nil
}
func (*hashSocket) SetWriteDeadline(time.Time) error { return nil }
func (*hashSocket) NetConn() net.Conn                { return nil }

// TestSnapshotBytesAreUnchanged pins the bytes every client of a seeded room
// gets, tick after tick, to those recorded in testdata/wirebytes.txt: a
// cheaper tick must send exactly what the tick it replaces sent. Clients
// ack in different rhythms, so deltas go against several baselines, and in
// the firing cases entities come and go every tick. A deliberate change of
// the wire rewrites the file with -update-wire-bytes.
func TestSnapshotBytesAreUnchanged(t *testing.T) {
	tests := []struct {
		name    string
		clients int
		workers int
		fire    bool
		aoi     bool
	}{
		{"aoi", 300, 1, false, true},
		{"aoi firing", 300, 1, true, true},
		{"aoi firing fanned out", 300, 3, true, true},
		{"everything firing", 80, 1, true, false},
	}
	var got strings.Builder
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.AOI = tt.aoi
			socks := make([]*hashSocket, tt.clients)
			br := newSocketRoom(t, tt.clients, cfg, func(_ *benchRoom, i int) socket {
				socks[i] = &hashSocket{h: sha256.New()}
				return socks[i]
			})
			br.r.fan.procs, br.r.fan.share = tt.workers, 1
			for range 75 { // past a board tick, with the rings full
				br.seq++
				for i, m := range br.r.members {
					if br.rng.IntN(20) == 0 {
						br.moves[i] = uint8(br.rng.IntN(16)) & game.MoveMask
					}
					in := netcode.Input{Seq: br.seq, Move: br.moves[i], Aim: float32(i) * 0.01}
					if tt.fire && i%3 == 0 {
						in.Buttons = game.ButtonFire
					}
					m.queue(in)
				}
				br.r.step(time.Now(), true)
				br.drain()
				tick := br.r.sim.Tick()
				for i, m := range br.r.members {
					// Ack rhythms: every snapshot, a tick late, every 3rd, never.
					switch i % 4 {
					case 0:
						m.acknowledge(tick)
					case 1:
						m.acknowledge(tick - 1)
					case 2:
						if tick%3 == 0 {
							m.acknowledge(tick)
						}
					}
				}
			}
			all := sha256.New()
			frames := 0
			for _, s := range socks {
				s.mu.Lock()
				all.Write(s.h.Sum(nil))
				frames += s.frames
				s.mu.Unlock()
			}
			require.Greater(t, frames, 75*tt.clients, "every client got a frame a tick")
			fmt.Fprintf(&got, "%s %s\n", tt.name, hex.EncodeToString(all.Sum(nil)))
		})
	}
	const path = "testdata/wirebytes.txt"
	if *updateWireBytes {
		require.NoError(t, os.WriteFile(path, []byte(got.String()), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got.String())
}
