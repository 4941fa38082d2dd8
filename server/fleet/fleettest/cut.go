package fleettest

import (
	"io"
	"net"
	"sync"
)

// cutter is a listener whose connections can all be cut at once, with no
// goodbye: closed, so the peer reads an end of stream and no close frame.
// Once cut it refuses connections (its socket is closed) while whoever
// accepts on it sees nothing until Close: a dead process's port, under a
// server that must not notice and say goodbye.
type cutter struct {
	net.Listener
	to string // newCutter's: where each accepted connection is forwarded

	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	gone    bool
	closed  chan struct{}
	closing sync.Once
}

func cut(ln net.Listener) *cutter {
	return &cutter{Listener: ln, conns: make(map[net.Conn]struct{}), closed: make(chan struct{})}
}

// newCutter forwards connections on a loopback port to addr, so that a
// member's way to a shared service can be cut for it alone.
func newCutter(addr string) (*cutter, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c := cut(ln)
	c.to = addr
	go c.forward()
	return c, nil
}

// hostPort is where to dial the cutter.
func (c *cutter) hostPort() string { return c.Listener.Addr().String() }

func (c *cutter) Accept() (net.Conn, error) {
	conn, err := c.Listener.Accept()
	if err == nil && c.track(conn) {
		return conn, nil
	}
	if conn != nil {
		conn.Close()
	}
	c.mu.Lock()
	gone := c.gone
	c.mu.Unlock()
	if gone {
		<-c.closed
		return nil, net.ErrClosed
	}
	return nil, err
}

// Close ends Accept, cut or not; idempotent.
func (c *cutter) Close() error {
	c.closing.Do(func() { close(c.closed) })
	return c.Listener.Close()
}

func (c *cutter) track(conn net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gone {
		return false
	}
	c.conns[conn] = struct{}{}
	return true
}

// cut closes every connection accepted and then the socket; idempotent.
func (c *cutter) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gone {
		return
	}
	c.gone = true
	for conn := range c.conns {
		conn.Close()
	}
	c.Listener.Close()
}

func (c *cutter) forward() {
	for {
		in, err := c.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", c.to)
		if err != nil || !c.track(out) {
			in.Close()
			if out != nil {
				out.Close()
			}
			continue
		}
		go pipe(in, out)
		go pipe(out, in)
	}
}

// pipe copies until either side ends (a cut, or the peer), then ends both.
func pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src) // how it ended does not matter: both sides close
	dst.Close()
	src.Close()
}
