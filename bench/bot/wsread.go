//go:build linux

package bot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
	"time"

	"github.com/skirmish-game/skirmish/client/transport"
)

// WebSocket opcodes (RFC 6455, 5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xa
)

// readSize is a read buffer: a 1,000-player room's snapshot (~2.2 KB) and
// its header fit, so one read syscall takes one message. A frame that does
// not fit gets a buffer of its own size while it comes in.
const readSize = 4 << 10

// readBufs holds the read buffers. A link takes one when its socket is
// readable and gives it back once the frames in it are handled, so the
// swarm holds about one per poller, not one per bot. Only a frame split over reads keeps its buffer until it is whole.
// It holds arrays, not slices, so that giving one back allocates nothing.
var readBufs = sync.Pool{New: func() any { return new([readSize]byte) }}

// Errors that end a connection the server broke the WebSocket rules on.
var (
	errProtocol = errors.New("bot: websocket protocol error")
	errTooLarge = errors.New("bot: message too large")
)

// errWait is readable's "nothing more now": wait for the poller.
var errWait = errors.New("wait")

// readable reads what the socket holds with read (a read syscall that does
// not wait) and handles each whole frame in it. While a read fills its
// buffer it reads again; after one that does not, the socket is empty (a
// read now would say EAGAIN), so a message costs one read syscall, and the
// poller hears of the next (edge-triggered).
func (l *wsLink) readable(read func(p []byte) (int, error)) error {
	for {
		buf := l.in
		if buf == nil {
			buf = readBufs.Get().(*[readSize]byte)[:0]
		}
		room := buf[len(buf):cap(buf)]
		n, err := read(room)
		switch {
		case err == syscall.EINTR:
			l.keep(buf)
			continue
		case err == syscall.EAGAIN:
			l.keep(buf)
			return errWait
		case err != nil:
			return err
		case n == 0:
			return io.EOF
		}
		buf = buf[:len(buf)+n]
		rest, need, err := l.consume(buf, time.Now())
		if err != nil {
			return err
		}
		l.keep(l.carry(buf, rest, need))
		if n < len(room) {
			return errWait // the socket had no more: a read now would say EAGAIN
		}
	}
}

// carry moves a frame not yet whole, rest, to the start of buf, in a buffer
// of need bytes if buf is too small for all of it.
func (l *wsLink) carry(buf, rest []byte, need int) []byte {
	if need > cap(buf) {
		grown := make([]byte, len(rest), need)
		copy(grown, rest)
		l.release(buf)
		return grown
	}
	return buf[:copy(buf, rest)]
}

// keep holds buf for the next read if it holds a frame not yet whole, and
// gives it back otherwise.
func (l *wsLink) keep(buf []byte) {
	if len(buf) > 0 {
		l.in = buf
		return
	}
	l.in = nil
	l.release(buf)
}

func (l *wsLink) release(buf []byte) {
	if cap(buf) == readSize { // a frame's own bigger buffer is left to the collector
		readBufs.Put((*[readSize]byte)(buf[:readSize]))
	}
}

// consume handles the whole frames at the start of p, which came in at at.
// It returns what is left, a frame not yet whole, and that frame's full
// size when it is known (its header is in).
func (l *wsLink) consume(p []byte, at time.Time) (rest []byte, need int, err error) {
	for len(p) > 0 {
		h, n, err := frameHead(p)
		if err != nil {
			return nil, 0, err
		}
		if h == 0 || len(p) < h+n {
			return p, h + n, nil
		}
		if err := l.frame(p[0], p[h:h+n], at); err != nil {
			return nil, 0, err
		}
		p = p[h+n:]
	}
	return p, 0, nil
}

// frameHead reads a server frame's header: its length h and the payload's
// n, or h == 0 if the header is not all in p yet.
func frameHead(p []byte) (h, n int, err error) {
	if len(p) < 2 {
		return 0, 0, nil
	}
	switch {
	case p[0]&0x70 != 0:
		return 0, 0, fmt.Errorf("%w: reserved bits 0x%02x without an extension", errProtocol, p[0]&0x70)
	case p[1]&0x80 != 0:
		return 0, 0, fmt.Errorf("%w: a masked server frame", errProtocol)
	}
	h, n = 2, int(p[1]&0x7f)
	switch n {
	case 126:
		if len(p) < 4 {
			return 0, 0, nil
		}
		h, n = 4, int(binary.BigEndian.Uint16(p[2:]))
	case 127:
		if len(p) < 10 {
			return 0, 0, nil
		}
		v := binary.BigEndian.Uint64(p[2:])
		if v > maxMessage {
			return 0, 0, fmt.Errorf("%w: %d bytes", errTooLarge, v)
		}
		h, n = 10, int(v)
	}
	if p[0]&0x0f >= opClose && (n > 125 || p[0]&0x80 == 0) {
		return 0, 0, fmt.Errorf("%w: control frame of %d bytes, final %v", errProtocol, n, p[0]&0x80 != 0)
	}
	if n > maxMessage {
		return 0, 0, fmt.Errorf("%w: %d bytes", errTooLarge, n)
	}
	return h, n, nil
}

// frame handles one whole frame whose first header byte is b0. Binary
// messages go to the bot; text ones are dropped, as transport.Conn drops
// them; a ping is answered; the server's close ends the loop with a
// *transport.CloseError.
func (l *wsLink) frame(b0 byte, payload []byte, at time.Time) error {
	fin, op := b0&0x80 != 0, b0&0x0f
	switch op {
	case opBinary, opText:
		if l.fragOp != 0 {
			return fmt.Errorf("%w: a new message inside a fragmented one", errProtocol)
		}
		if !fin {
			l.fragOp, l.frag = op, append([]byte(nil), payload...)
			return nil
		}
		if op == opBinary {
			l.onMessage(payload, at)
		}
	case opContinuation:
		if l.fragOp == 0 {
			return fmt.Errorf("%w: a continuation of no message", errProtocol)
		}
		if len(l.frag)+len(payload) > maxMessage {
			return fmt.Errorf("%w: %d bytes", errTooLarge, len(l.frag)+len(payload))
		}
		l.frag = append(l.frag, payload...)
		if fin {
			if l.fragOp == opBinary {
				l.onMessage(l.frag, at)
			}
			l.fragOp, l.frag = 0, nil
		}
	case opPing:
		var buf [2 + 4 + 125]byte
		return l.writeFrames(appendFrame(buf[:0], opPong, payload))
	case opPong:
	case opClose:
		ce := &transport.CloseError{}
		if len(payload) >= 2 {
			ce.Code, ce.Reason = binary.BigEndian.Uint16(payload), string(payload[2:])
		}
		// The answer echoes the code; end closes the socket.
		l.writeClose(payload[:min(len(payload), 2)])
		return ce
	default:
		return fmt.Errorf("%w: opcode %d", errProtocol, op)
	}
	return nil
}

// writeClose writes a close frame of payload if the socket takes it at
// once and nothing is pending before it; the end of the connection that
// follows it says the same if not.
func (l *wsLink) writeClose(payload []byte) {
	var buf [2 + 4 + 125]byte
	l.sock.sendIfIdle(appendFrame(buf[:0], opClose, payload))
}

// end reports how the connection ended, as transport.Conn does, so the bot
// reads both the same: the server's close frame as a *transport.CloseError,
// the bot's own close as transport.ErrClosed.
func (l *wsLink) end(err error) {
	var ce *transport.CloseError
	switch {
	case errors.As(err, &ce):
		err = ce
	case l.closing.Load():
		err = transport.ErrClosed
	case errors.Is(err, errProtocol):
		l.writeClose([]byte{1002 >> 8, 1002 & 0xff})
	case errors.Is(err, errTooLarge):
		l.writeClose([]byte{1009 >> 8, 1009 & 0xff})
	default:
		err = fmt.Errorf("bot: %w", err) // the connection broke: EOF, a reset
	}
	l.sock.closeFD()
	l.onClose(err)
}
