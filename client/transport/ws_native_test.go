//go:build !js

package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// server is a test WebSocket server: it echoes binary messages, and a message
// "close CODE" makes it close the connection with that code.
type server struct {
	gws.BuiltinEventHandler
}

func (server) OnMessage(ws *gws.Conn, m *gws.Message) {
	defer m.Close()
	if s, ok := strings.CutPrefix(string(m.Bytes()), "close "); ok {
		_ = ws.WriteClose(4006, []byte(s))
		return
	}
	_ = ws.WriteMessage(gws.OpcodeBinary, m.Bytes())
}

func startServer(t *testing.T) string {
	t.Helper()
	up := gws.NewUpgrader(server{}, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r)
		if err != nil {
			return
		}
		go ws.ReadLoop()
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
}

// next waits for the next message or the end of the connection.
func next(t *testing.T, c *Conn) ([]byte, bool) {
	t.Helper()
	select {
	case m, ok := <-c.Messages():
		return m, ok
	case <-time.After(5 * time.Second):
		require.FailNow(t, "no message within 5 s")
		return nil, false
	}
}

func TestEcho(t *testing.T) {
	c, err := Dial(context.Background(), startServer(t), Options{})
	require.NoError(t, err)
	defer c.Close()
	for _, msg := range []string{"one", "two", string(make([]byte, 3000))} {
		require.NoError(t, c.Send([]byte(msg)))
	}
	for _, want := range []string{"one", "two", string(make([]byte, 3000))} {
		got, ok := next(t, c)
		require.True(t, ok)
		assert.Equal(t, want, string(got))
	}
	assert.NoError(t, c.Err(), "still open")
	_, stamped := c.Arrivals()
	assert.False(t, stamped, "Messages without Options.Stamp")
}

// A message is timed when it comes off the socket, not when the game loop
// gets round to it: one read long after it arrived keeps its arrival time.
func TestArrivalStampedOnTheReadLoop(t *testing.T) {
	c, err := Dial(context.Background(), startServer(t), Options{Stamp: true})
	require.NoError(t, err)
	defer c.Close()
	arrivals, ok := c.Arrivals()
	require.True(t, ok)
	sent := time.Now()
	require.NoError(t, c.Send([]byte("pong")))
	require.Eventually(t, func() bool { return len(arrivals) == 1 }, 5*time.Second, time.Millisecond)
	queued := time.Now() // it has waited in the inbox since before this

	a := <-arrivals
	assert.Equal(t, "pong", string(a.Data))
	assert.False(t, a.At.Before(sent), "at %v, sent at %v", a.At, sent)
	assert.False(t, a.At.After(queued), "timed at the read, %v after it was queued", a.At.Sub(queued))
	select {
	case m := <-c.Messages():
		assert.Failf(t, "a message on Messages too", "%q", m)
	default:
	}

	require.NoError(t, c.Close())
	_, open := <-arrivals
	assert.False(t, open, "Arrivals closes at the end")
}

func TestServerCloseCode(t *testing.T) {
	c, err := Dial(context.Background(), startServer(t), Options{})
	require.NoError(t, err)
	require.NoError(t, c.Send([]byte("close session expired")))
	_, ok := next(t, c)
	require.False(t, ok, "channel closed at the end")
	var ce *CloseError
	require.ErrorAs(t, c.Err(), &ce)
	assert.Equal(t, uint16(4006), ce.Code)
	assert.Equal(t, "session expired", ce.Reason)
	assert.ErrorIs(t, c.Send([]byte("late")), ErrClosed)
}

func TestClientClose(t *testing.T) {
	c, err := Dial(context.Background(), startServer(t), Options{})
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "idempotent")
	_, ok := next(t, c)
	require.False(t, ok)
	assert.Error(t, c.Err())
}

func TestDialRefused(t *testing.T) {
	url := startServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Dial(ctx, url, Options{})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = Dial(context.Background(), "http://127.0.0.1:1/ws", Options{})
	assert.Error(t, err, "not a ws URL")
}

func TestInboxDropsWhenFull(t *testing.T) {
	b := newInbox(2, false)
	for i := 0; i < 5; i++ {
		b.push([]byte{byte(i)}, time.Time{})
	}
	assert.Equal(t, uint64(3), b.Dropped())
	b.finish(ErrClosed)
	b.finish(nil) // only the first reason counts
	var got []byte
	for m := range b.Messages() {
		got = append(got, m...)
	}
	assert.Equal(t, []byte{0, 1}, got)
	assert.ErrorIs(t, b.Err(), ErrClosed)
}

func TestWriteAndOnMessage(t *testing.T) {
	got := make(chan string, 4)
	var dialed atomic.Bool
	c, err := Dial(context.Background(), startServer(t), Options{
		OnMessage: func(msg []byte) { got <- string(msg) }, // msg is gws's buffer: copied by string()
		Dialer: &net.Dialer{Control: func(string, string, syscall.RawConn) error {
			dialed.Store(true)
			return nil
		}},
	})
	require.NoError(t, err)
	assert.True(t, dialed.Load(), "the given dialer made the connection")
	require.NoError(t, c.Write([]byte("binary")))
	require.NoError(t, c.WriteText([]byte("text"))) // the test server echoes it as binary
	for _, want := range []string{"binary", "text"} {
		select {
		case m := <-got:
			assert.Equal(t, want, m)
		case <-time.After(5 * time.Second):
			require.FailNow(t, "no message within 5 s")
		}
	}
	select {
	case m := <-c.Messages():
		assert.Failf(t, "a message reached the inbox", "%q", m)
	default:
	}

	c.Abort()
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		require.FailNow(t, "not done within 5 s of Abort")
	}
	var ce *CloseError
	assert.False(t, errors.As(c.Err(), &ce), "no close frame: %v", c.Err())
	assert.Error(t, c.Err())
	assert.Error(t, c.Write([]byte("late")))
	_, ok := <-c.Messages()
	assert.False(t, ok, "Messages closes at the end")
}

// A simulated network delays both ways and keeps the order: the echo of
// each message arrives no sooner than twice the shortest one-way delay,
// stamped with its simulated arrival, and the server's close comes after.
func TestSimDelaysBothWaysInOrder(t *testing.T) {
	tests := []struct {
		name   string
		sim    Sim
		write  bool // the bots' synchronous Write instead of Send
		minRTT time.Duration
	}{
		{name: "latency", sim: Sim{Latency: 30 * time.Millisecond}, minRTT: 60 * time.Millisecond},
		{name: "latency by Write", sim: Sim{Latency: 30 * time.Millisecond}, write: true, minRTT: 60 * time.Millisecond},
		{name: "jitter", sim: Sim{Latency: 20 * time.Millisecond, Jitter: 15 * time.Millisecond}, minRTT: 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Dial(context.Background(), startServer(t), Options{Stamp: true, Sim: tt.sim})
			require.NoError(t, err)
			defer c.Close()
			arrivals, ok := c.Arrivals()
			require.True(t, ok)
			const n = 20
			sent := make([]time.Time, n)
			for i := range n {
				sent[i] = time.Now()
				send := c.Send
				if tt.write {
					send = c.Write
				}
				require.NoError(t, send([]byte{byte(i)}))
			}
			require.NoError(t, c.Send([]byte("close bye")))
			for i := range n {
				var a Arrival
				select {
				case a = <-arrivals:
				case <-time.After(5 * time.Second):
					require.FailNow(t, "no echo within 5 s", "message %d", i)
				}
				require.Equal(t, []byte{byte(i)}, a.Data, "in the order sent")
				assert.GreaterOrEqual(t, a.At.Sub(sent[i]), tt.minRTT, "message %d", i)
			}
			select {
			case _, open := <-arrivals:
				require.False(t, open, "the close after the echoes")
			case <-time.After(5 * time.Second):
				require.FailNow(t, "not closed")
			}
			var ce *CloseError
			require.ErrorAs(t, c.Err(), &ce)
			assert.Equal(t, uint16(4006), ce.Code)
			assert.ErrorIs(t, c.Send([]byte("late")), ErrClosed)
		})
	}
}

func TestDialRefusesABadSim(t *testing.T) {
	_, err := Dial(context.Background(), startServer(t), Options{Sim: Sim{Latency: -time.Second}})
	assert.ErrorIs(t, err, ErrSim)
}
