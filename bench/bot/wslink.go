//go:build linux

package bot

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lxzan/gws"
)

// wsLink is a bot's own WebSocket connection, built for a thousand bots on
// one core: gws says the handshake, and from then on the link reads and
// writes the frames on the socket itself, a descriptor taken out of the
// runtime's poller (sock_linux.go). A poller (poller_linux.go) reads many
// links' sockets from one goroutine and hands each whole message, in a
// pooled buffer, straight to the bot (wsread.go); a step's input and ping
// leave in one non-blocking write of frames the link masks itself, so the
// scheduler that writes every bot's input in one loop never waits on one
// socket. What the socket does not take at once, the poller finishes when
// the socket can take more.
type wsLink struct {
	events
	sock *sock

	frames  []byte // the frames of one write; owned by the writer
	closing atomic.Bool
	dropped atomic.Bool // abort: end at the next event, without a close frame
	stop    sync.Once

	// Owned by the poller.
	in     []byte // a frame not yet whole, in a pooled buffer; nil when none
	frag   []byte // a fragmented message's data so far (the server sends none)
	fragOp byte   // the fragmented message's opcode; 0: none
}

// dialWS connects to a ws:// URL and says the WebSocket handshake; a poller
// reads the link from then on. ctx bounds the TCP connect, timeout the
// handshake.
func dialWS(ctx context.Context, rawURL string, nd *net.Dialer, timeout time.Duration, ev events) (link, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" {
		return nil, errNotWS
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	p, err := pollerFor()
	if err != nil {
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	nc, err := nd.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	// gws's Conn is dropped after the handshake, with its reader: the server
	// sends nothing before the hello (PROTOCOL.md), so that reader holds no
	// byte of the stream the link reads on. It closes nc if it fails.
	if _, _, err := gws.NewClientFromConn(gws.BuiltinEventHandler{}, &gws.ClientOption{
		Addr:             rawURL,
		HandshakeTimeout: timeout,
	}, nc); err != nil {
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	s, err := takeSock(nc.(*net.TCPConn))
	if err != nil {
		_ = nc.Close()
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	l := &wsLink{events: ev, sock: s}
	if err := p.add(l); err != nil {
		s.closeFD()
		return nil, fmt.Errorf("bot: dial %s: %w", rawURL, err)
	}
	return l, nil
}

// write frames msg (and more) into one buffer and writes it now as far as
// the socket takes it without waiting; the poller writes the rest once the
// socket can take more, and busy reports true until it has, so that the
// bot's next step waits and nothing else gets in between the two halves of
// a frame.
func (l *wsLink) write(msg, more []byte) error {
	l.frames = appendFrame(l.frames[:0], opBinary, msg)
	if more != nil {
		l.frames = appendFrame(l.frames, opBinary, more)
	}
	return l.writeFrames(l.frames)
}

// writeFrames writes whole frames p after any not yet written (see write).
func (l *wsLink) writeFrames(p []byte) error {
	_, err := l.sock.send(p)
	return err
}

func (l *wsLink) busy() bool { return l.sock.waiting.Load() }

// close sends a close frame (1000) if the socket takes it at once and ends
// the connection, as gws's WriteClose does; the poller then ends the link
// with transport.ErrClosed.
func (l *wsLink) close() {
	l.stop.Do(func() {
		l.closing.Store(true)
		l.writeClose([]byte{1000 >> 8, 1000 & 0xff})
		l.sock.shutdown()
	})
}

// abort ends the connection without a close frame; the poller reports the
// end.
func (l *wsLink) abort() {
	l.dropped.Store(true)
	l.sock.shutdown()
}

// event handles what the poller saw on the socket (epoll's event bits):
// the end the bot asked for, a pending write the socket can now take, and
// what came in. It returns why the connection ended, or nil while it lasts.
func (l *wsLink) event(ev uint32) error {
	if l.closing.Load() || l.dropped.Load() {
		return net.ErrClosed // end says which: the bot's close, or a drop
	}
	if ev&syscall.EPOLLOUT != 0 && l.busy() {
		if _, err := l.sock.flush(); err != nil {
			l.onWriteErr(err)
			return err
		}
	}
	if ev&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) != 0 {
		if err := l.readable(l.sock.readNow); err != errWait {
			return err
		}
	}
	return nil
}

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
