package engine

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/netcode"
)

// testClient is a real client over the project's one WebSocket client,
// client/transport's Conn, that queues every message it receives.
type testClient struct {
	t       testing.TB
	conn    *transport.Conn
	msgs    chan []byte
	stall   atomic.Bool   // when set, the read loop stops until release is closed
	release chan struct{} // see stall
	dropped atomic.Int64  // messages that did not fit in msgs
}

type dialOption func(*transport.Options)

// withReceiveBuffer shrinks the client's kernel receive buffer, so a client
// that stops reading backs the server up quickly.
func withReceiveBuffer(n int) dialOption {
	return func(o *transport.Options) {
		o.Dialer = &net.Dialer{Timeout: waitFor, Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			if err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, n)
			}); err != nil {
				return err
			}
			return serr
		}}
	}
}

func dial(t testing.TB, addr string, opts ...dialOption) *testClient {
	t.Helper()
	c := &testClient{t: t, msgs: make(chan []byte, 1<<14), release: make(chan struct{})}
	o := transport.Options{MaxMessage: 1 << 22, OnMessage: c.onMessage}
	for _, f := range opts {
		f(&o)
	}
	conn, err := transport.Dial(t.Context(), "ws://"+addr+"/ws", o)
	require.NoError(t, err)
	c.conn = conn
	t.Cleanup(conn.Abort)
	return c
}

// onMessage runs on the connection's read loop, so stalling here stops the
// reading: the server sees a client that does not keep up.
func (c *testClient) onMessage(msg []byte) {
	if c.stall.Load() {
		<-c.release
	}
	select {
	case c.msgs <- bytes.Clone(msg):
	default:
		c.dropped.Add(1)
	}
}

func (c *testClient) send(m any) {
	c.t.Helper()
	b, err := netcode.Append(nil, m)
	require.NoError(c.t, err)
	c.sendRaw(b)
}

// sendRaw writes b as one binary message.
func (c *testClient) sendRaw(b []byte) {
	c.t.Helper()
	require.NoError(c.t, c.conn.Write(b))
}

// sendText writes b as one text frame, which the protocol has none of.
func (c *testClient) sendText(b []byte) {
	c.t.Helper()
	require.NoError(c.t, c.conn.WriteText(b))
}

// next returns the next message of kind, skipping others.
func (c *testClient) next(kind netcode.Kind) ([]byte, error) {
	deadline := time.After(waitFor)
	for {
		select {
		case b := <-c.msgs:
			if k, err := netcode.PeekKind(b); err == nil && k == kind {
				return b, nil
			}
		case <-c.conn.Done():
			return nil, fmt.Errorf("closed while waiting for kind %d: %v", kind, c.conn.Err())
		case <-deadline:
			return nil, fmt.Errorf("no message of kind %d within %v", kind, waitFor)
		}
	}
}

func (c *testClient) hello(name, room, token string) netcode.Welcome {
	c.t.Helper()
	c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: name, Room: room, Token: token})
	b, err := c.next(netcode.KindWelcome)
	require.NoError(c.t, err)
	var w netcode.Welcome
	require.NoError(c.t, netcode.DecodeWelcome(b, &w))
	return w
}

// closeCode waits for the close and returns its code and the Error message
// that came before it (Code 0 if none).
func (c *testClient) closeCode() (uint16, netcode.Error) {
	c.t.Helper()
	select {
	case <-c.conn.Done():
	case <-time.After(waitFor):
		c.t.Fatalf("not closed within %v", waitFor)
	}
	var e netcode.Error
	for {
		select {
		case b := <-c.msgs:
			if k, err := netcode.PeekKind(b); err == nil && k == netcode.KindError {
				require.NoError(c.t, netcode.DecodeError(b, &e))
			}
			continue
		default:
		}
		break
	}
	var ce *transport.CloseError
	if !errors.As(c.conn.Err(), &ce) {
		c.t.Fatalf("closed without a close frame: %v", c.conn.Err())
	}
	return ce.Code, e
}

// requireClose waits for the close and checks its code and, when withError,
// the Error message with the same code before it.
func (c *testClient) requireClose(code uint16, withError bool) netcode.Error {
	c.t.Helper()
	got, e := c.closeCode()
	require.Equal(c.t, code, got, "close code (error message %+v)", e)
	if withError {
		require.Equal(c.t, code, e.Code, "Error message code")
		require.NotEmpty(c.t, e.Text)
	}
	return e
}

// find returns the entity with id in st.
func find(st *netcode.State, id uint32) (netcode.Entity, bool) {
	for _, e := range st.Entities {
		if e.ID == id {
			return e, true
		}
	}
	return netcode.Entity{}, false
}
