package floor

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/internal/wsraw"
	"github.com/skirmish-game/skirmish/netcode"
)

// TestAClientThatStopsReadingGetsWholeFramesInOrder stops reading until
// its socket is full, so the tick's writes leave bytes unsent for the
// writer, and then reads everything back: every frame whole, snapshots in
// tick order, and the connection still served afterwards.
func TestAClientThatStopsReadingGetsWholeFramesInOrder(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SnapshotBytes = 20000 // 600 KB/s: the socket fills within a second
	srv, wsURL := serveConfig(t, cfg, slog.New(slog.DiscardHandler))
	u, err := url.Parse(wsURL)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	tcp, err := wsraw.Dial(ctx, u.Host, "", 5*time.Second)
	require.NoError(t, err)
	require.NoError(t, tcp.SetReadBuffer(64<<10)) // not the loopback default of megabytes, so the server's socket fills soon
	c, _, err := wsraw.Upgrade(tcp, u.Host, u.Path, nil, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	hello, err := netcode.Append(nil, &netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: "slow", Room: "r"})
	require.NoError(t, err)
	_, err = c.Write(wsraw.AppendFrame(nil, wsraw.OpBinary, [4]byte{1, 2, 3, 4}, hello))
	require.NoError(t, err)

	// A second of snapshots does not fit the socket buffers (the server's
	// 64 KB, the client's 64 KB) of a client that reads nothing; the rest
	// waits in the server.
	require.Eventually(t, func() bool { return srv.handedOver.Load() > 0 }, 10*time.Second, 50*time.Millisecond,
		"a tick's write was left to the writer")
	time.Sleep(500 * time.Millisecond) // and a few more ticks queue behind it

	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	var last uint32
	snapshots := 0
	for snapshots < 90 { // the backlog, then fresh ticks
		op, payload, err := c.ReadFrame()
		require.NoError(t, err, "after %d snapshots", snapshots)
		require.Equal(t, wsraw.OpBinary, op)
		kind, err := netcode.PeekKind(payload)
		require.NoError(t, err, "a whole message")
		if kind != netcode.KindSnapshot {
			continue // the welcome, boards
		}
		var d netcode.Delta
		require.NoError(t, netcode.DecodeDelta(payload, &d), "snapshot %d decodes", snapshots)
		assert.Greater(t, d.Tick, last, "snapshots in tick order")
		last = d.Tick
		snapshots++
	}
	_, _, err = c.ReadFrame()
	assert.NotErrorIs(t, err, io.EOF, "still served")
}
