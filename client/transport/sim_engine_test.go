//go:build !js

package transport_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

// Against a real engine, 50 ms each way shows as a ping of at least 100 ms,
// measured as the game does: from the Ping's ClientTime to the Pong's
// arrival stamp.
func TestSimulatedLatencyShowsInPing(t *testing.T) {
	cfg := engine.DefaultConfig()
	cfg.WebDir = t.TempDir()
	s := enginetest.NewServer(t, cfg)
	c, err := transport.Dial(context.Background(), s.URL, transport.Options{
		Stamp: true, Sim: transport.Sim{Latency: 50 * time.Millisecond},
	})
	require.NoError(t, err)
	defer c.Close()
	arrivals, ok := c.Arrivals()
	require.True(t, ok)

	send := func(m any) {
		msg, err := netcode.Append(nil, m)
		require.NoError(t, err)
		require.NoError(t, c.Send(msg))
	}
	// await returns the next message of kind, skipping snapshots and boards.
	await := func(kind netcode.Kind) transport.Arrival {
		deadline := time.After(enginetest.StopTimeout)
		for {
			select {
			case a, ok := <-arrivals:
				require.True(t, ok, "closed: %v", c.Err())
				if k, err := netcode.PeekKind(a.Data); err == nil && k == kind {
					return a
				}
			case <-deadline:
				require.FailNow(t, "no message of the kind", "%d", kind)
			}
		}
	}
	send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "ann"})
	await(netcode.KindWelcome)

	for range 3 {
		send(&netcode.Ping{ClientTime: time.Now().UnixMicro()})
		a := await(netcode.KindPong)
		var p netcode.Pong
		require.NoError(t, netcode.DecodePong(a.Data, &p))
		rtt := a.At.Sub(time.UnixMicro(p.ClientTime))
		assert.GreaterOrEqual(t, rtt, 100*time.Millisecond, "50 ms there and 50 ms back")
	}
}
