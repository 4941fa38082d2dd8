package link

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// stampedConn delivers the test's messages with the arrival times it gives.
type stampedConn struct {
	arrivals chan Arrival
}

func (c *stampedConn) Send([]byte) error                { return nil }
func (c *stampedConn) Messages() <-chan []byte          { return nil }
func (c *stampedConn) Arrivals() (<-chan Arrival, bool) { return c.arrivals, true }
func (c *stampedConn) Err() error                       { return nil }
func (c *stampedConn) Close() error                     { return nil }

// The link passes on the time a message came off the socket, not the time it
// got round to it: that is what the round trip is measured from.
func TestEventsKeepArrivalTimes(t *testing.T) {
	conn := &stampedConn{arrivals: make(chan Arrival, 4)}
	dial := func(context.Context, string) (Conn, error) { return conn, nil }
	l, err := New(Config{URL: "ws://test/ws"}, dial, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = l.Run(ctx) }()
	defer func() { cancel(); <-done }()

	welcome, err := netcode.Append(nil, &netcode.Welcome{
		Kind: netcode.KindWelcome, PlayerID: 7, Room: "r1", TickRate: 30, SnapshotRate: 30, Token: "tok", WorldW: 4000, WorldH: 4000,
	})
	require.NoError(t, err)
	pong, err := netcode.Append(nil, &netcode.Pong{Kind: netcode.KindPong, ClientTime: 5, ServerTime: 9, ServerTick: 101})
	require.NoError(t, err)
	arrived := time.Now().Add(-time.Minute) // long before anyone reads it
	conn.arrivals <- Arrival{Data: welcome, At: arrived}
	conn.arrivals <- Arrival{Data: pong, At: arrived.Add(time.Millisecond)}

	var got []Event
	for len(got) < 3 {
		select {
		case ev := <-l.Events():
			got = append(got, ev)
		case <-time.After(5 * time.Second):
			require.FailNow(t, "no event", "after %v", got)
		}
	}
	assert.Equal(t, []EventKind{Dialing, Joined, Message}, []EventKind{got[0].Kind, got[1].Kind, got[2].Kind})
	assert.Equal(t, pong, got[2].Data)
	assert.True(t, got[2].At.Equal(arrived.Add(time.Millisecond)), "message at %v", got[2].At)
}
