package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// panicPeer is a fakePeer whose snapshot send panics, as a bug in the
// per-client work would.
type panicPeer struct{ fakePeer }

func (p *panicPeer) stage(frame []byte) bool {
	if k, err := netcode.PeekKind(frame); err == nil && k == netcode.KindSnapshot {
		panic("stage failed")
	}
	return p.fakePeer.stage(frame)
}

// A panic in a snapshot worker's goroutine closes the room, as one on the
// room goroutine does, instead of the process; every client is told 1011.
// Every snapshot's stage panics: the room goroutine stops at its first client, so the
// helper claims the other batches and panics too, whatever the scheduling.
func TestPanicInSnapshotWorkerClosesTheRoom(t *testing.T) {
	r, now := peerRoom(t, testConfig(t))
	const clients = 2 * fanOutBatch
	r.fan.procs, r.fan.share = 2, 1
	t.Cleanup(r.fan.stop)
	peers := make([]*panicPeer, clients)
	for i := range peers {
		peers[i] = &panicPeer{}
		r.join(event{kind: evJoin, p: peers[i], name: "p", token: fmt.Sprint("t", i)})
	}
	require.Equal(t, 2, r.fan.workers(len(r.members)))
	*now = now.Add(time.Second)
	ok, _ := r.step(*now, true)
	assert.False(t, ok, "the tick failed")
	for i, p := range peers {
		assert.Equal(t, netcode.CloseInternal, p.code, "client %d", i)
	}
	assert.Empty(t, r.members)
}
