package engine

import (
	"context"
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
	behind   bool // over() reports true
	code     uint16
	text     string
	kicked   bool
	gone     bool
	keep     bool
	welcomes int
}

func (p *fakePeer) send(frame []byte) bool {
	if p.code != 0 {
		return false
	}
	p.frames = append(p.frames, append([]byte(nil), frame...))
	return true
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
