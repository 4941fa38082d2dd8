package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// fakePeer is a connection without a socket: it records what the room
// sends and decides, and plays a client that keeps up or not.
type fakePeer struct {
	frames   [][]byte
	staged   int  // frames staged since the last flush
	wakes    int  // times the writer would have woken: sends, and flushes of staged frames
	behind   bool // over() reports true
	code     uint16
	text     string
	kicked   bool
	gone     bool
	keep     bool
	welcomes int
}

func (p *fakePeer) send(frame []byte) bool {
	if !p.stage(frame) {
		return false
	}
	p.flush()
	return true
}
func (p *fakePeer) stage(frame []byte) bool {
	if p.code != 0 {
		return false
	}
	p.frames = append(p.frames, append([]byte(nil), frame...))
	p.staged++
	return true
}
func (p *fakePeer) flush() {
	if p.staged > 0 {
		p.wakes++
	}
	p.staged = 0
}
func (p *fakePeer) over() bool   { return p.behind }
func (p *fakePeer) closed() bool { return p.code != 0 || p.gone }
func (p *fakePeer) ended() (gone, keep bool) {
	return p.gone, p.gone && p.keep
}
func (p *fakePeer) welcomed() { p.welcomes++ }
func (p *fakePeer) fail(code uint16, text string) {
	if p.code == 0 {
		p.code, p.text = code, text
	}
}
func (p *fakePeer) kick(code uint16, text string) {
	if p.code == 0 {
		p.kicked = true
	}
	p.fail(code, text)
}

// kinds lists the kinds of the frames p got.
func (p *fakePeer) kinds(t *testing.T) []netcode.Kind {
	var out []netcode.Kind
	for _, f := range p.frames {
		k, err := netcode.PeekKind(f)
		require.NoError(t, err)
		out = append(out, k)
	}
	return out
}

// peerRoom is a room driven by hand: no goroutine, no sockets, its own clock.
func peerRoom(t *testing.T, cfg Config) (*room, *time.Time) {
	cfg = cfg.resolve()
	reg := newRegistry(context.Background(), cfg, testLogger(), newMetrics())
	r := newRoom("peers", false, reg, newCounterSim(nil)(cfg.TickRate, 1))
	now := time.Unix(1000, 0)
	return r, &now
}

func (r *room) tickAt(now *time.Time) {
	*now = now.Add(time.Second / time.Duration(r.cfg.TickRate))
	r.step(*now, true)
}

func TestRoomWithoutSockets(t *testing.T) {
	cfg := testConfig(t)
	cfg.SlowClientTimeout = time.Second
	r, now := peerRoom(t, cfg)

	a, b := &fakePeer{}, &fakePeer{}
	r.join(event{kind: evJoin, p: a, name: "a", token: "ta"})
	r.join(event{kind: evJoin, p: b, name: "b", token: "tb"})
	require.Equal(t, []netcode.Kind{netcode.KindWelcome}, a.kinds(t))
	assert.Equal(t, 1, a.welcomes)

	r.tickAt(now)
	assert.Equal(t, []netcode.Kind{netcode.KindWelcome, netcode.KindSnapshot}, a.kinds(t))

	// A peer over its queue is skipped, then kicked once it has been
	// behind for SlowClientTimeout; the other goes on.
	b.behind = true
	snapshots := func(p *fakePeer) int {
		n := 0
		for _, k := range p.kinds(t) {
			if k == netcode.KindSnapshot {
				n++
			}
		}
		return n
	}
	sent := snapshots(b)
	for range cfg.TickRate + 2 { // a second and a bit
		r.tickAt(now)
	}
	assert.Equal(t, sent, snapshots(b), "no snapshot to a client that is behind")
	assert.True(t, b.kicked)
	assert.Equal(t, netcode.CloseSlowConsumer, b.code)
	assert.Equal(t, cfg.TickRate+3, snapshots(a), "the other client got every snapshot")

	// A connection the network dropped keeps its player for the resume
	// grace; one the client closed does not.
	b.gone, b.keep = true, true
	r.tickAt(now)
	require.Len(t, r.members, 2)
	assert.Nil(t, r.byToken["tb"].peer, "dropped, waiting for a resume")
	assert.NotContains(t, r.byPeer, peer(b))
	a.gone = true
	r.tickAt(now)
	require.Len(t, r.members, 1, "a's client left for good")

	// Resuming attaches the new connection; its inputs count, the old
	// one's would not.
	c := &fakePeer{}
	r.resume(event{kind: evResume, p: c, token: "tb"}, *now)
	require.Equal(t, []netcode.Kind{netcode.KindWelcome}, c.kinds(t))
	assert.True(t, r.handle(event{kind: evInput, p: c, in: netcode.Input{Seq: 1, Move: 1}}, *now))
	assert.Equal(t, 1, r.byToken["tb"].n, "the input is queued for the resumed player")
	assert.True(t, r.handle(event{kind: evInput, p: b, in: netcode.Input{Seq: 2, Move: 1}}, *now))
	assert.Equal(t, 1, r.byToken["tb"].n, "the old connection's input is ignored")

	// An ack of a tick never sent closes the connection that sent it.
	assert.True(t, r.handle(event{kind: evInput, p: c, in: netcode.Input{Seq: 3, Ack: 1 << 30}}, *now))
	assert.Equal(t, netcode.CloseInvalidValue, c.code)
}

func TestResumeReplacesTheOldConnection(t *testing.T) {
	r, now := peerRoom(t, testConfig(t))
	old := &fakePeer{}
	r.join(event{kind: evJoin, p: old, name: "a", token: "ta"})
	next := &fakePeer{}
	r.resume(event{kind: evResume, p: next, token: "ta"}, *now)
	assert.Equal(t, netcode.CloseReplaced, old.code)
	assert.Same(t, r.byPeer[next], r.byToken["ta"])
	assert.NotContains(t, r.byPeer, peer(old))
	assert.Len(t, r.byPeer, 1)
}

// A client's frames of one tick, its snapshot and once a second the board,
// are staged and flushed together: one wake-up of its writer a tick, on the
// room goroutine alone and fanned out to workers alike.
func TestEachClientWakesOncePerTick(t *testing.T) {
	for _, tc := range []struct {
		name         string
		procs, share int
	}{
		{name: "room goroutine alone", procs: 1},
		{name: "fanned out", procs: 2, share: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			r, now := peerRoom(t, cfg)
			r.fan.procs, r.fan.share = tc.procs, tc.share
			t.Cleanup(r.fan.stop)
			peers := make([]*fakePeer, 2*fanOutBatch)
			for i := range peers {
				peers[i] = &fakePeer{}
				r.join(event{kind: evJoin, p: peers[i], name: "p", token: fmt.Sprint("t", i)})
			}
			require.Equal(t, min(tc.procs, len(peers)), r.fan.workers(len(r.members)))
			ticks := r.cfg.TickRate // a second: one board tick
			for range ticks {
				r.tickAt(now)
			}
			for i, p := range peers {
				count := map[netcode.Kind]int{}
				for _, k := range p.kinds(t) {
					count[k]++
				}
				assert.Equal(t, map[netcode.Kind]int{netcode.KindWelcome: 1, netcode.KindSnapshot: ticks, netcode.KindBoard: 1}, count, "client %d", i)
				assert.Equal(t, 1+ticks, p.wakes, "client %d: the welcome, then one wake-up a tick", i)
				assert.Zero(t, p.staged, "client %d: nothing left unflushed", i)
			}
		})
	}
}

// TestRoomReadsInputsOnceATick: a running room handles a join as it comes
// but leaves inputs in its inbox until its next tick drains them, joins
// queued meanwhile first.
func TestRoomReadsInputsOnceATick(t *testing.T) {
	cfg := testConfig(t)
	cfg.TickRate, cfg.SnapshotRate = 1, 1 // a tick a second: time enough to look between two
	cfg = cfg.resolve()
	ctx, cancel := context.WithCancel(context.Background())
	reg := newRegistry(ctx, cfg, testLogger(), newMetrics())
	r := newRoom("drain", false, reg, newCounterSim(nil)(cfg.TickRate, 1))
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.run(ctx)
	}()
	a := &fakePeer{}
	require.True(t, r.post(event{kind: evJoin, p: a, name: "a", token: "ta"}))
	require.Eventually(t, func() bool { return r.players.Load() == 1 }, waitFor, time.Millisecond, "the join is handled at once")
	require.True(t, r.post(event{kind: evInput, p: a, in: netcode.Input{Seq: 1}}))
	time.Sleep(100 * time.Millisecond)
	assert.Len(t, r.inbox, 1, "the input waits for the tick")
	require.Eventually(t, func() bool { return len(r.inbox) == 0 }, 2*time.Second, 5*time.Millisecond, "the tick drains it")
	cancel()
	<-done

	// Driven by hand: an input queued behind its connection's join, both
	// waiting for the drain, reaches the player.
	r, _ = peerRoom(t, testConfig(t))
	b := &fakePeer{}
	require.True(t, r.post(event{kind: evJoin, p: b, name: "b", token: "tb"}))
	require.True(t, r.post(event{kind: evInput, p: b, in: netcode.Input{Seq: 1}}))
	require.True(t, r.drain(time.Now()))
	require.Equal(t, 1, b.welcomes)
	assert.Equal(t, 1, r.byPeer[b].n, "the input was queued for the player, not dropped as a stranger's")
}
