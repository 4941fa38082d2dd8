package engine

import (
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// snapSocket keeps a copy of every snapshot frame written to it.
type snapSocket struct {
	mu     sync.Mutex
	frames [][]byte
}

func (s *snapSocket) WriteMessage(_ gws.Opcode, p []byte) error {
	if k, err := netcode.PeekKind(p); err == nil && k == netcode.KindSnapshot {
		s.mu.Lock()
		s.frames = append(s.frames, append([]byte(nil), p...))
		s.mu.Unlock()
	}
	return nil
}
func (*snapSocket) SetWriteDeadline(time.Time) error { return nil }
func (*snapSocket) NetConn() net.Conn                { return nil }

func (s *snapSocket) take() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.frames
	s.frames = nil
	return f
}

// TestSharedEncodingsAreExact runs a crowded room whose clients acknowledge
// in different rhythms (every snapshot, every second or third, late, never),
// so that one tick's snapshots are built against many baselines from the
// shared encodings, and checks that every view a client rebuilds is the
// server's truth for it: its AOI cut, velocity for its own player only. The
// fanned-out cases serve the clients from several workers at once, each
// with its own encodings, whatever GOMAXPROCS is.
func TestSharedEncodingsAreExact(t *testing.T) {
	tests := []struct {
		name        string
		aoi, deltas bool
		workers     int
		fire        bool // projectiles come and go: entities created and removed mid-list every tick
	}{
		{"aoi and deltas", true, true, 1, false},
		{"everything and deltas", false, true, 1, false},
		{"aoi and full snapshots", true, false, 1, false},
		{"aoi and deltas, fanned out", true, true, 3, false},
		{"aoi and deltas, firing", true, true, 1, true},
		{"everything and deltas, firing, fanned out", false, true, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const clients, ticks = 60, 45
			cfg := DefaultConfig()
			cfg.AOI, cfg.Deltas = tt.aoi, tt.deltas
			cfg.ViewRadius = 600 // views overlap partly, and entities cross their edges
			socks := make([]*snapSocket, clients)
			br := newSocketRoom(t, clients, cfg, func(_ *benchRoom, i int) socket {
				socks[i] = &snapSocket{}
				return socks[i]
			})
			br.r.fan.procs, br.r.fan.share = tt.workers, 1
			require.Equal(t, tt.workers, br.r.fan.workers(clients))
			rxs := make([]*netcode.Receiver, clients)
			for i := range rxs {
				rxs[i] = netcode.NewReceiver(cfg.resolve().SnapshotRate)
			}
			deltas, vanished := 0, 0
			var lastIDs []uint32
			for range ticks {
				br.seq++
				for i, m := range br.r.members {
					if br.rng.IntN(10) == 0 {
						br.moves[i] = uint8(br.rng.IntN(16))
					}
					in := netcode.Input{Seq: br.seq, Move: br.moves[i] & 0x0f, Aim: float32(i)}
					if tt.fire {
						in.Buttons = game.ButtonFire
					}
					m.queue(in)
				}
				br.r.step(time.Now(), true)
				br.drain()
				f := br.r.hist.at(br.r.sim.Tick())
				require.NotNil(t, f)
				for _, id := range lastIDs {
					if _, ok := slices.BinarySearch(f.ids, id); !ok {
						vanished++
					}
				}
				lastIDs = append(lastIDs[:0], f.ids...)
				for i, m := range br.r.members {
					frames := socks[i].take()
					require.Len(t, frames, 1, "client %d", i)
					st, err := rxs[i].Receive(frames[0])
					require.NoError(t, err, "client %d", i)
					if rxs[i].Delta().Baseline != 0 {
						deltas++
					}
					want := truthView(f.ents, m.id, cfg)
					require.Equal(t, len(want), len(st.Entities), "client %d, tick %d", i, st.Tick)
					if len(want) > 0 {
						require.Equal(t, want, st.Entities, "client %d, tick %d", i, st.Tick)
					}
					// Ack rhythms: every snapshot, every 2nd, every 3rd, never.
					if every := i%4 + 1; every < 4 && int(st.Tick)%every == 0 {
						require.True(t, m.acknowledge(rxs[i].Ack()))
					}
				}
			}
			if tt.fire {
				assert.Greater(t, vanished, ticks, "entities left the world")
			}
			if tt.deltas {
				assert.Greater(t, deltas, clients*ticks/2, "most snapshots are deltas")
				bases := 0
				for i := range br.r.fan.scratch {
					bases = max(bases, br.r.fan.scratch[i].enc.n)
				}
				assert.Greater(t, bases, 1, "snapshots against several baselines in one tick")
			} else {
				assert.Zero(t, deltas)
			}
		})
	}
}
