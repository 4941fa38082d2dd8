package bot

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
)

// testPoller is a poller of the test's own, stopped when the test ends.
func testPoller(t *testing.T) *poller {
	t.Helper()
	p, err := newPoller()
	require.NoError(t, err)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		p.run() // returns once the epoll file is closed
	}()
	t.Cleanup(func() {
		require.NoError(t, p.ep.Close())
		<-stopped
	})
	return p
}

// pollPair is a loopback TCP connection whose bot end is a link read by
// p, and the server's end. ended gets how the link ended; the test's end
// drops the link if it is still open.
func pollPair(t *testing.T, p *poller, ev events) (l *wsLink, peer net.Conn, ended <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	peer, err = ln.Accept()
	require.NoError(t, err)
	s, err := takeSock(c.(*net.TCPConn))
	require.NoError(t, err)
	end := make(chan error, 1)
	done := make(chan struct{})
	ev.onClose = func(err error) {
		end <- err
		close(done)
	}
	l = &wsLink{events: ev, sock: s}
	require.NoError(t, p.add(l))
	t.Cleanup(func() {
		_ = peer.Close()
		l.abort()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("the link never ended")
		}
	})
	return l, peer, end
}

func message(sock, i, n int) []byte {
	p := bytes.Repeat([]byte{byte(sock*31 + i)}, n)
	if n >= 4 {
		binary.BigEndian.PutUint32(p, uint32(sock<<16|i))
	}
	return p
}

// TestPollerReadsManySockets: one poller reads 64 sockets at once, each
// sending frames the poller sees cut short (in the header, in the payload,
// bigger than a read buffer); every bot gets its own messages whole and in
// order, and the close frame ends each link with its code, so the poller
// holds none at the end.
func TestPollerReadsManySockets(t *testing.T) {
	p := testPoller(t)
	const socks = 64
	sizes := []int{20, 0, 125, 126, 2200, readSize, readSize + 7, 0x10000 + 3, 300, 1}
	var wg sync.WaitGroup
	for k := range socks {
		got := make(chan []byte, len(sizes))
		_, peer, ended := pollPair(t, p, events{onMessage: func(m []byte, _ time.Time) { got <- bytes.Clone(m) }})
		wg.Go(func() {
			frames := make([][]byte, len(sizes))
			for i, n := range sizes {
				frames[i] = serverFrame(opBinary, true, message(k, i, n))
			}
			frames = append(frames, serverFrame(opClose, true, []byte{1000 >> 8, 1000 & 0xff}))
			// Each write ends one frame and begins the next, cut at a
			// different place (1 byte: a header cut short; then in the
			// payload); the bot reads the first whole before the rest of
			// the second is sent.
			var head []byte
			for i, f := range frames {
				cut := [...]int{1, len(f) / 2, len(f) - 1}[i%3]
				cut = max(1, min(cut, len(f)-1))
				if _, err := peer.Write(append(head, f[:cut]...)); !assert.NoError(t, err) {
					return
				}
				if i > 0 {
					assert.Equal(t, message(k, i-1, sizes[i-1]), <-got, "socket %d, message %d", k, i-1)
				}
				head = bytes.Clone(f[cut:])
			}
			_, err := peer.Write(head)
			assert.NoError(t, err)
			var ce *transport.CloseError
			if assert.ErrorAs(t, <-ended, &ce) {
				assert.Equal(t, uint16(1000), ce.Code)
			}
		})
	}
	wg.Wait()
	assert.Zero(t, p.held(), "every link ended and left the poller")
}

// TestPollerEndsAClosedSocket: however the connection ends, the poller
// ends the link once, with what happened, closes its socket (a write then
// fails; the descriptor is not written again) and lets go of it.
func TestPollerEndsAClosedSocket(t *testing.T) {
	tests := []struct {
		name string
		end  func(l *wsLink, peer net.Conn)
		want func(t *testing.T, err error)
		peer func(t *testing.T, got []byte) // what the server read to its EOF
	}{
		{
			name: "server drops it",
			end:  func(_ *wsLink, peer net.Conn) { _ = peer.Close() },
			want: func(t *testing.T, err error) { assert.ErrorIs(t, err, io.EOF) },
		},
		{
			name: "server resets it",
			end: func(_ *wsLink, peer net.Conn) {
				_ = peer.(*net.TCPConn).SetLinger(0)
				_ = peer.Close()
			},
			want: func(t *testing.T, err error) { assert.ErrorIs(t, err, syscall.ECONNRESET) },
		},
		{
			name: "bot closes it",
			end:  func(l *wsLink, _ net.Conn) { l.close() },
			want: func(t *testing.T, err error) { assert.ErrorIs(t, err, transport.ErrClosed) },
			peer: func(t *testing.T, got []byte) {
				op, payload := readClientFrame(t, bytes.NewReader(got))
				assert.Equal(t, byte(opClose), op)
				assert.Equal(t, []byte{1000 >> 8, 1000 & 0xff}, payload)
			},
		},
		{
			name: "bot aborts",
			end:  func(l *wsLink, _ net.Conn) { l.abort() },
			want: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, net.ErrClosed)
				assert.NotErrorIs(t, err, transport.ErrClosed, "no close of the bot's")
			},
			peer: func(t *testing.T, got []byte) { assert.Empty(t, got, "no close frame") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPoller(t)
			got := make(chan []byte, 1)
			l, peer, ended := pollPair(t, p, events{onMessage: func(m []byte, _ time.Time) { got <- bytes.Clone(m) }})
			// A message first: the link is read before it ends.
			_, err := peer.Write(serverFrame(opBinary, true, []byte("hi")))
			require.NoError(t, err)
			require.Equal(t, []byte("hi"), <-got)

			tt.end(l, peer)
			select {
			case err := <-ended:
				tt.want(t, err)
			case <-time.After(5 * time.Second):
				t.Fatal("the link did not end")
			}
			assert.Zero(t, p.held(), "the poller let go of it")
			assert.ErrorIs(t, l.write([]byte("late"), nil), net.ErrClosed, "the socket is closed")
			if tt.peer != nil {
				require.NoError(t, peer.SetReadDeadline(time.Now().Add(5*time.Second)))
				rest, err := io.ReadAll(peer)
				require.NoError(t, err, "the server reads to its EOF")
				tt.peer(t, rest)
			}
			select {
			case err := <-ended:
				t.Errorf("ended twice: %v", err)
			default:
			}
		})
	}
}

// TestPollerSharesSocketsRound: the process's pollers (one per GOMAXPROCS)
// take new sockets in turn.
func TestPollerSharesSocketsRound(t *testing.T) {
	a, err := pollerFor()
	require.NoError(t, err)
	seen := map[*poller]bool{a: true}
	for range len(pollers.all) - 1 {
		p, err := pollerFor()
		require.NoError(t, err)
		seen[p] = true
	}
	assert.Len(t, seen, len(pollers.all))
}
