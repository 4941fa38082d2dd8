//go:build linux

package bot

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
)

// wsLink is a bot's own WebSocket connection, built for a thousand bots on
// one core: gws says the handshake, and from then on the link reads and
// writes the frames on the socket itself. Its read loop takes a whole
// message per read syscall where it can, into a pooled buffer, and hands it
// straight to the bot (wsread.go); a step's input and ping leave in one
// non-blocking write of frames the link masks itself (writeNow), so the
// scheduler that writes every bot's input in one loop never waits on one
// socket. What the socket does not take at once, a goroutine finishes.
type wsLink struct {
	events
	sock *sock

	frames  []byte       // the frames of one write; owned by the writer
	pending atomic.Int32 // writes being finished in the background
	closing atomic.Bool
	stop    sync.Once

	// Owned by the read loop.
	in     []byte // a frame not yet whole, in a pooled buffer; nil when none
	frag   []byte // a fragmented message's data so far (the server sends none)
	fragOp byte   // the fragmented message's opcode; 0: none
}

// dialWS connects to a ws:// URL and says the WebSocket handshake; the read
// loop runs from then on. ctx bounds the TCP connect, timeout the handshake.
func dialWS(ctx context.Context, rawURL string, nd *net.Dialer, timeout time.Duration, ev events) (link, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" {
		return nil, errNotWS
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	nc, err := nd.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	s, err := newSock(nc.(*net.TCPConn))
	if err != nil {
		_ = nc.Close()
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	// gws's Conn is dropped after the handshake, with its reader: the server
	// sends nothing before the hello (PROTOCOL.md), so that reader holds no
	// byte of the stream the link reads on.
	if _, _, err := gws.NewClientFromConn(gws.BuiltinEventHandler{}, &gws.ClientOption{
		Addr:             rawURL,
		HandshakeTimeout: timeout,
	}, s); err != nil {
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	l := &wsLink{events: ev, sock: s}
	go l.readLoop()
	return l, nil
}

// write frames msg (and more) into one buffer and writes it now if the
// socket takes it all without waiting. Otherwise what is left goes to a
// goroutine that writes it blocking, and busy reports true until it is done:
// when the raw write was partial, that goroutine holds the socket's write
// lock from here on, so that no gws frame (a pong, the close) gets in
// between the two halves of one of the bot's.
func (l *wsLink) write(msg, more []byte) error {
	l.frames = appendFrame(l.frames[:0], opBinary, msg)
	if more != nil {
		l.frames = appendFrame(l.frames, opBinary, more)
	}
	return l.writeFrames(l.frames)
}

// writeFrames writes whole frames p now, or as much as the socket takes and
// the rest later (see write).
func (l *wsLink) writeFrames(p []byte) error {
	s := l.sock
	if !s.mu.TryLock() {
		l.later(p, false) // a pong, or an earlier write, holds the socket
		return nil
	}
	if s.closed {
		s.mu.Unlock()
		return net.ErrClosed
	}
	n, err := s.writeNow(p)
	switch {
	case n == len(p):
		s.mu.Unlock()
		return nil
	case n > 0:
		l.later(p[n:], true)
		return nil
	case wouldBlock(err):
		s.mu.Unlock()
		l.later(p, false)
		return nil
	default:
		s.mu.Unlock()
		return err
	}
}

// later writes p on a goroutine of its own; with locked, the caller holds
// the socket's write lock and this goroutine releases it.
func (l *wsLink) later(p []byte, locked bool) {
	l.pending.Add(1)
	p = bytes.Clone(p) // the caller's buffer is the next write's
	go func() {
		defer l.pending.Add(-1)
		if !locked {
			l.sock.mu.Lock()
		}
		_, err := l.sock.TCPConn.Write(p) // a closed socket fails here, safely
		l.sock.mu.Unlock()
		if err != nil {
			l.onWriteErr(err)
		}
	}()
}

func (l *wsLink) busy() bool { return l.pending.Load() > 0 }

// close sends a close frame (1000) if the socket takes it at once and drops
// the connection, as gws's WriteClose does; the read loop then ends with
// transport.ErrClosed.
func (l *wsLink) close() {
	l.stop.Do(func() {
		l.closing.Store(true)
		l.writeClose([]byte{1000 >> 8, 1000 & 0xff})
		_ = l.sock.Close()
	})
}

func (l *wsLink) abort() { _ = l.sock.Close() } // the read loop reports the end

// appendFrame appends payload as one final client frame of opcode op,
// masked with a fresh random key as RFC 6455 (5.3) requires of a client.
func appendFrame(dst []byte, op byte, payload []byte) []byte {
	const fin, masked = 0x80, 0x80
	n := len(payload)
	dst = append(dst, fin|op)
	switch {
	case n <= 125:
		dst = append(dst, masked|byte(n))
	case n <= 0xffff:
		dst = append(dst, masked|126, byte(n>>8), byte(n))
	default:
		dst = append(dst, masked|127, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	k := rand.Uint32() // the runtime's ChaCha8 stream: unpredictable, as the RFC asks
	key := [4]byte{byte(k), byte(k >> 8), byte(k >> 16), byte(k >> 24)}
	dst = append(dst, key[:]...)
	start := len(dst)
	dst = append(dst, payload...)
	for i := range payload {
		dst[start+i] ^= key[i&3]
	}
	return dst
}

// sock is a bot's TCP connection as gws sees it. Every write of gws's (the
// handshake, messages, pongs, the close frame) holds mu, as the bot's raw
// writes do, so frames never interleave on the wire.
type sock struct {
	*net.TCPConn
	fd     int // for writeNow
	mu     sync.Mutex
	closed bool // under mu: fd is no longer this connection's
}

func (s *sock) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.TCPConn.Write(p)
}

// Close drops the connection. A blocked write is ended first (the deadline),
// and mu keeps the fd from being closed, and reused by the next socket,
// under a raw write.
func (s *sock) Close() error {
	_ = s.TCPConn.SetWriteDeadline(time.Now())
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return s.TCPConn.Close()
}
