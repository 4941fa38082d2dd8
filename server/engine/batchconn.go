package engine

import (
	"bufio"
	"net"
	"net/http"
	"sync"
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
type batchConn struct {
	net.Conn

	bufs *sync.Pool // of *[]byte, the server's: see bufPool

	mu     sync.Mutex
	state  batchState
	held   *[]byte // frames written since hold; nil when nothing is held
	closed bool
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

func newBatchConn(c net.Conn, bufs *sync.Pool) *batchConn { return &batchConn{Conn: c, bufs: bufs} }

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
func (c *batchConn) last() {
	c.mu.Lock()
	if c.state == batchHold {
		c.state = batchLast
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
		_, _ = c.Conn.Write(*held) // an error: gws has closed the connection or will on its next write
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
		held := c.take()
		c.mu.Unlock()
		if held == nil {
			return c.Conn.Write(p)
		}
		// The lock is not held while writing, so that a Close can still
		// cut short a write that a client which does not read blocks.
		*held = append(*held, p...)
		n, err := c.Conn.Write(*held)
		n -= len(*held) - len(p) // what gws sees is its own frame's share
		c.put(held)
		if err != nil {
			return max(n, 0), err
		}
		return len(p), nil
	}
	c.mu.Unlock()
	return c.Conn.Write(p)
}

// Close writes what is held first: gws writes its close frame and closes the
// connection at once, also when the close frame came in the middle of a
// batch (the read loop answering a client's close), and the frames held
// before it were as good as written to gws.
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
	if held != nil {
		_, _ = c.Conn.Write(*held) // best effort, within the write deadline
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
