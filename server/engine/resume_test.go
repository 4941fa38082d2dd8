package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// ownEntity waits for a snapshot and returns the client's own entity in it
// (the first snapshot after a Welcome is full, so it holds every field).
func ownEntity(t *testing.T, c *testClient, id uint32) netcode.Entity {
	t.Helper()
	rx := netcode.NewReceiver(0) // for one full snapshot any ring will do
	b, err := c.next(netcode.KindSnapshot)
	require.NoError(t, err)
	st, err := rx.Receive(b)
	require.NoError(t, err)
	require.Zero(t, rx.Delta().Baseline, "the first snapshot of a connection is full")
	e, ok := find(st, id)
	require.True(t, ok, "own entity in the snapshot")
	return e
}

func TestResume(t *testing.T) {
	cfg := testConfig(t)
	cfg.ResumeGrace = waitFor
	ts := startServer(t, cfg, withSim(newCounterSim(nil)))

	t.Run("dropped connection resumes the same player", func(t *testing.T) {
		a := dial(t, ts.addr)
		w := a.hello("ann", "resume", "")
		before := ownEntity(t, a, w.PlayerID)
		for before.Score < 20 { // a new player would have far less than this
			before = ownEntity(t, a, w.PlayerID)
		}
		a.conn.Abort() // no close frame: the network failed

		b := dial(t, ts.addr)
		w2 := b.hello("", "", w.Token)
		assert.True(t, w2.Resumed)
		assert.Equal(t, w.PlayerID, w2.PlayerID)
		assert.Equal(t, "resume", w2.Room)
		assert.Equal(t, w.Token, w2.Token)
		after := ownEntity(t, b, w.PlayerID)
		assert.Equal(t, "ann", after.Name)
		assert.GreaterOrEqual(t, after.Score, before.Score, "the score carries over (it grows a point a tick)")
	})

	t.Run("resume while connected replaces the old connection", func(t *testing.T) {
		a := dial(t, ts.addr)
		w := a.hello("bea", "resume", "")
		b := dial(t, ts.addr)
		w2 := b.hello("", "", w.Token)
		assert.True(t, w2.Resumed)
		assert.Equal(t, w.PlayerID, w2.PlayerID)
		a.requireClose(netcode.CloseReplaced, true)
		ownEntity(t, b, w.PlayerID)
	})

	t.Run("unknown token", func(t *testing.T) {
		c := dial(t, ts.addr)
		c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Token: "no-such-token"})
		c.requireClose(netcode.CloseResumeFailed, true)
	})

	t.Run("a player who quit cannot be resumed", func(t *testing.T) {
		a := dial(t, ts.addr)
		w := a.hello("cid", "resume", "")
		require.NoError(t, a.conn.Close()) // 1000
		require.Eventually(t, func() bool { return ts.rooms.lookup(w.Token) == nil }, waitFor, 10*time.Millisecond)
		b := dial(t, ts.addr)
		b.send(&netcode.Hello{Version: netcode.ProtocolVersion, Token: w.Token})
		b.requireClose(netcode.CloseResumeFailed, true)
	})
}

func TestResumeAfterGraceFails(t *testing.T) {
	cfg := testConfig(t)
	cfg.ResumeGrace = 100 * time.Millisecond
	ts := startServer(t, cfg, withSim(newCounterSim(nil)))

	a := dial(t, ts.addr)
	w := a.hello("dan", "expiry", "")
	a.conn.Abort()
	require.Eventually(t, func() bool { return ts.rooms.lookup(w.Token) == nil }, waitFor, 10*time.Millisecond,
		"the player leaves once its grace is over")

	b := dial(t, ts.addr)
	b.send(&netcode.Hello{Version: netcode.ProtocolVersion, Token: w.Token})
	b.requireClose(netcode.CloseResumeFailed, true)
}
