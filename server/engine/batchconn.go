package engine

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"syscall"

	"github.com/skirmish-game/skirmish/internal/rawsock"
)

// batchConn is the connection gws writes to. gws makes each frame whole and
// writes it with one Write while it holds its write lock, so one syscall a
// frame; it has no call that writes several frames at once (its Writev makes
// one frame of several slices, which would change the wire). batchConn lets
// the outbox's writer gather frames below gws instead: between hold and the
// Write after last, Writes are copied into a buffer in the order gws makes
// them, and that last Write carries them all to the connection in one call.
// The frames are gws's own, so the wire is the same; every gws write still
// returns only once its bytes are written or held, and the last one returns
// the error of the one real write, so gws closes the connection on it as
// before.
//
// A batch can also end with a write that does not wait (tryLast): what the
// socket does not take at once is kept as the connection's unsent bytes,
// which go out, blocking, before anything else is written to it (drain, or
// the next Write). That lets the room's snapshot workers write a client's
// tick themselves instead of waking a writer goroutine per client per tick,
// while a client that does not read still holds up no one but its own
// writer goroutine (see outbox).
type batchConn struct {
	net.Conn

	raw  syscall.RawConn // the TCP socket, for writes that do not wait; nil: none (TLS)
	bufs *sync.Pool      // of *[]byte, the server's: see bufPool

	mu     sync.Mutex
	state  batchState
	try    bool    // the batch's last Write does not wait for the socket
	held   *[]byte // frames written since hold; nil when nothing is held
	closed bool

	// wmu is held for every write to Conn, so unsent bytes go out before
	// any later ones whoever writes them; it guards unsent. Close does not
	// wait for it: closing is what cuts short a write to a client that
	// does not read.
	wmu    sync.Mutex
	unsent *[]byte // what a write that did not wait left behind; nil: nothing
}

type batchState uint8

const (
	batchPass batchState = iota // each Write goes straight to the connection
	batchHold                   // Writes are held
	batchLast                   // the next Write goes out with what is held
)

// newBatchPool makes the pool of held frames' buffers a server's
// connections share: a connection holds one only while its writer writes a
// batch, so idle connections keep none.
func newBatchPool() *sync.Pool {
	return &sync.Pool{New: func() any { return new([]byte) }}
}

func newBatchConn(c net.Conn, bufs *sync.Pool) *batchConn {
	bc := &batchConn{Conn: c, bufs: bufs}
	if sc, ok := c.(syscall.Conn); ok && rawsock.Supported {
		if raw, err := sc.SyscallConn(); err == nil {
			bc.raw = raw
		}
	}
	return bc
}

// canTry reports whether a batch may end with a write that does not wait.
func (c *batchConn) canTry() bool { return c.raw != nil }

// hold starts a batch: Writes are held until the one after last.
func (c *batchConn) hold() {
	c.mu.Lock()
	if !c.closed { // after Close nothing would write what is held
		c.state = batchHold
	}
	c.mu.Unlock()
}

// last makes the next Write the batch's last: it writes what is held and
// its own bytes in one Write of the connection.
func (c *batchConn) last() { c.setLast(false) }

// tryLast is last for a Write that does not wait: it writes what the socket
// takes at once and keeps the rest unsent (see unsentBytes and drain). Only
// for a connection that canTry.
func (c *batchConn) tryLast() { c.setLast(true) }

func (c *batchConn) setLast(try bool) {
	c.mu.Lock()
	if c.state == batchHold {
		c.state, c.try = batchLast, try
	}
	c.mu.Unlock()
}

// flush ends a batch early (a gws write failed, so gws wrote nothing more of
// it): what is held goes out, as it would have without batching.
func (c *batchConn) flush() {
	c.mu.Lock()
	c.state = batchPass
	held := c.take()
	c.mu.Unlock()
	if held != nil {
		_, _ = c.passWrite(*held) // an error: gws has closed the connection or will on its next write
		c.put(held)
	}
}

func (c *batchConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	switch c.state {
	case batchHold:
		if c.held == nil {
			c.held = c.bufs.Get().(*[]byte)
		}
		*c.held = append(*c.held, p...)
		c.mu.Unlock()
		return len(p), nil
	case batchLast:
		c.state = batchPass
		try := c.try
		held := c.take()
		c.mu.Unlock()
		buf := p
		if held != nil {
			*held = append(*held, p...)
			buf = *held
		}
		// The lock is not held while writing, so that a Close can still
		// cut short a write that a client which does not read blocks.
		var n int
		var err error
		if try {
			n, err = c.writeNow(buf)
		} else {
			n, err = c.write(buf)
		}
		n -= len(buf) - len(p) // what gws sees is its own frame's share
		if held != nil {
			c.put(held)
		}
		if err != nil {
			return max(n, 0), err
		}
		return len(p), nil
	}
	c.mu.Unlock()
	return c.passWrite(p)
}

// passWrite writes what gws writes outside a batch: its own close frames
// (answering a client's close, or after a read or write error), just before
// it closes the connection, and the upgrade's response. gws holds its write
// lock while it writes, and a snapshot worker writing this client's tick
// would wait for that lock, so on a socket that can, these writes do not
// wait either: what the socket does not take stays unsent, for Close's last
// try. The outbox's own frames always come in a batch.
func (c *batchConn) passWrite(p []byte) (int, error) {
	if c.raw != nil {
		return c.writeNow(p)
	}
	return c.write(p)
}

// write writes the unsent bytes, if any, then p, waiting for the socket.
func (c *batchConn) write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.writeUnsent(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// writeNow writes what of p the socket takes without waiting and keeps the
// rest unsent. It reports p as written unless the socket failed. Behind
// unsent bytes it writes nothing: p joins them, in order.
func (c *batchConn) writeNow(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeNowLocked(p)
}

// writeNowLocked is writeNow with c.wmu held.
func (c *batchConn) writeNowLocked(p []byte) (int, error) {
	n := 0
	if c.unsent == nil {
		var err error
		if n, err = rawsock.WriteNow(c.raw, p); err != nil {
			return n, err
		}
	}
	if n < len(p) {
		if c.unsent == nil {
			c.unsent = c.bufs.Get().(*[]byte)
		}
		*c.unsent = append(*c.unsent, p[n:]...)
	}
	return len(p), nil
}

// unsentBytes is how many bytes a write that did not wait left behind.
func (c *batchConn) unsentBytes() int {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.unsent == nil {
		return 0
	}
	return len(*c.unsent)
}

// drain writes the unsent bytes, waiting for the socket (the outbox's
// writer goroutine does it, bounded by the write deadline once a close is
// decided).
func (c *batchConn) drain() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeUnsent()
}

// writeUnsent writes and drops the unsent bytes; c.wmu is held.
func (c *batchConn) writeUnsent() error {
	if c.unsent == nil {
		return nil
	}
	_, err := c.Conn.Write(*c.unsent)
	c.dropUnsent()
	return err
}

// dropUnsent gives the unsent bytes' buffer back; c.wmu is held.
func (c *batchConn) dropUnsent() {
	if c.unsent != nil {
		c.put(c.unsent)
		c.unsent = nil
	}
}

// Close writes what is unsent and held first: gws writes its close frame and
// closes the connection at once, also when the close frame came in the
// middle of a batch (the read loop answering a client's close), and the
// frames before it were as good as written to gws. It is a last try: on a
// socket that can, what the socket does not take at once is dropped (gws
// may close from a snapshot worker's write); on another, it waits within
// the write deadline. A write under way is not waited for: it is one the
// client does not read, and closing cuts it short.
func (c *batchConn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.Conn.Close()
	}
	c.closed = true
	c.state = batchPass
	held := c.take()
	c.mu.Unlock()
	if c.wmu.TryLock() {
		if c.raw != nil {
			if held != nil {
				_, _ = c.writeNowLocked(*held)
			}
			if c.unsent != nil {
				_, _ = rawsock.WriteNow(c.raw, *c.unsent)
			}
			c.dropUnsent()
		} else if err := c.writeUnsent(); err == nil && held != nil {
			_, _ = c.Conn.Write(*held)
		}
		c.wmu.Unlock()
	}
	if held != nil {
		c.put(held)
	}
	return c.Conn.Close()
}

// take hands over the held frames; c.mu is held.
func (c *batchConn) take() *[]byte {
	held := c.held
	c.held = nil
	return held
}

// SetWriteBuffer reaches the socket's SO_SNDBUF through the wrapper.
func (c *batchConn) SetWriteBuffer(n int) error {
	if tc, ok := c.Conn.(interface{ SetWriteBuffer(int) error }); ok {
		return tc.SetWriteBuffer(n)
	}
	return nil
}

// put hands a held buffer back to the pool, unless it grew too big to keep.
func (c *batchConn) put(b *[]byte) {
	if cap(*b) <= maxRetainedBuffer {
		*b = (*b)[:0]
		c.bufs.Put(b)
	}
}

// batchHijacker hands gws's upgrader a batchConn in place of the hijacked
// connection, so the upgrade itself stays gws's.
type batchHijacker struct {
	http.ResponseWriter
	bufs *sync.Pool
}

func (w batchHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	c, rw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	return newBatchConn(c, w.bufs), rw, nil
}
