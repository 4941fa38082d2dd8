package engine

import (
	"context"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/lxzan/gws"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// discardSocket stands in for a client that reads everything at once.
type discardSocket struct{ bytes *atomic.Int64 }

func (d discardSocket) WriteMessage(_ gws.Opcode, p []byte) error {
	d.bytes.Add(int64(len(p)))
	return nil
}
func (discardSocket) SetWriteDeadline(time.Time) error { return nil }
func (discardSocket) NetConn() net.Conn                { return nil }
func (discardSocket) neverBlocks()                     {} // written by the snapshot workers, as a TCP socket that keeps up

// benchRoom is a room of n joined players whose connections write to
// discardSocket, and whose clients ack each snapshot two ticks late.
type benchRoom struct {
	r     *room
	conns []*session
	bytes atomic.Int64
	seq   uint32
	rng   *rand.Rand
	moves []uint8
}

func newBenchRoom(tb testing.TB, n int, cfg Config) *benchRoom {
	return newSocketRoom(tb, n, cfg, func(br *benchRoom, _ int) socket { return discardSocket{&br.bytes} })
}

// newSocketRoom is a benchRoom whose i-th connection writes to sock(br, i).
func newSocketRoom(tb testing.TB, n int, cfg Config, sock func(br *benchRoom, i int) socket) *benchRoom {
	cfg.RoomCapacity = n
	m := newMetrics()
	log := testLogger()
	cfg = cfg.resolve()
	reg := newRegistry(context.Background(), cfg, log, m)
	br := &benchRoom{rng: rand.New(rand.NewPCG(1, 2)), moves: make([]uint8, n)}
	br.r = newRoom("bench", true, reg, NewWorldSim(cfg.TickRate, 1))
	for i := range n {
		c := &session{out: newOutbox(sock(br, i), cfg.SendQueue, m), log: log}
		br.conns = append(br.conns, c)
		br.r.join(event{kind: evJoin, p: c, name: fmt.Sprintf("bot%d", i), token: fmt.Sprintf("t%d", i)})
	}
	tb.Cleanup(func() {
		br.r.fan.stop()
		for _, c := range br.conns {
			c.out.stop()
		}
	})
	return br
}

// tick queues an input for every player (a new direction now and then, as
// bots do), runs one tick, and acks the snapshot of two ticks ago.
func (br *benchRoom) tick() {
	br.seq++
	for i, m := range br.r.members {
		if br.rng.IntN(30) == 0 {
			br.moves[i] = uint8(br.rng.IntN(16)) & game.MoveMask
		}
		m.queue(netcode.Input{Seq: br.seq, Move: br.moves[i], Aim: float32(i)})
	}
	br.r.step(time.Now(), true)
	tick := br.r.sim.Tick()
	for _, m := range br.r.members {
		m.acknowledge(tick - 2)
	}
}

// drain waits until every connection's writer has taken its frames.
func (br *benchRoom) drain() {
	for _, c := range br.conns {
		for {
			c.out.mu.Lock()
			pending := c.out.pending
			c.out.mu.Unlock()
			if pending == 0 {
				break
			}
			runtime.Gosched()
		}
	}
}

// BenchmarkRoomTick runs the whole per-tick path of one room: inputs, the
// game's Step, capture, the AOI grid, and for every client its view, the
// delta against its acked view, the encoding and the hand-off to its
// connection's writer. The game's Step alone is BenchmarkWorldStep.
//
// Its memory metrics: B/client-state is what perClientBytes counts of each
// client's own structures; B/client-heap is the live heap the whole room
// holds (world, history, grid, workers' caches, members, outboxes), per
// client, measured by the runtime after its rings have filled. Every live
// byte costs the server about two of RSS at GOGC=100, so a regression here
// shows in the bench's RSS per player at twice the size.
func BenchmarkRoomTick(b *testing.B) {
	for _, n := range []int{100, 1000, 2000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			cfg := DefaultConfig()
			before := liveHeap()
			br := newBenchRoom(b, n, cfg)
			for range 3 * cfg.resolve().SnapshotRate { // fill the rings and grow every buffer
				br.tick()
				br.drain()
			}
			heap := liveHeap() - before
			br.bytes.Store(0)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				br.tick()
				// Between ticks a room waits for its ticker and the writers
				// drain the outboxes; their work is not the tick's.
				b.StopTimer()
				br.drain()
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(br.bytes.Load())/float64(b.N)/float64(n), "B/client/tick")
			b.ReportMetric(float64(perClientBytes(br.r)), "B/client-state")
			b.ReportMetric(float64(heap)/float64(n), "B/client-heap")
			b.ReportMetric(meanView(br.r), "entities/view")
		})
	}
}

// BenchmarkWorldStep is the game's share of a tick with 1,000 players.
func BenchmarkWorldStep(b *testing.B) {
	sim := NewWorldSim(DefaultTickRate, 1)
	for i := range 1000 {
		id := sim.Join(fmt.Sprintf("bot%d", i))
		sim.Input(id, netcode.Input{Move: uint8(i) & game.MoveMask})
	}
	b.ReportAllocs()
	for b.Loop() {
		sim.Step()
	}
}

// liveHeap is the bytes the heap holds live: a GC first, so garbage is not
// counted.
func liveHeap() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// meanView is the mean number of entities in the views last sent.
func meanView(r *room) float64 {
	f := r.hist.at(r.sim.Tick())
	total := 0
	for _, m := range r.members {
		if v, ok := m.views.at(m.lastSent, len(f.ents)); ok {
			for _, w := range v {
				total += bits.OnesCount64(w)
			}
		}
	}
	return float64(total) / float64(len(r.members))
}

// perClientBytes is what the room keeps per client between ticks: its view
// ring, input queue and the outbox's queue (its frame buffers are shared:
// see frameBufs).
func perClientBytes(r *room) int {
	total := 0
	for _, m := range r.members {
		total += int(unsafe.Sizeof(*m)) + m.views.bytes() + cap(m.inputs)*int(unsafe.Sizeof(queuedInput{}))
		o := m.peer.(*session).out
		o.mu.Lock()
		total += cap(o.queue) * int(unsafe.Sizeof(outFrame{}))
		o.mu.Unlock()
	}
	return total / len(r.members)
}
