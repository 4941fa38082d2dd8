package engine

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"syscall"
	"time"
)

const (
	// closeDrain is how long a closing connection keeps reading (and
	// discarding) what the client still sends after the server's last bytes
	// and its FIN. Closing a socket with unread data makes the kernel send a
	// reset, which can destroy the close frame (1009 for an oversize frame,
	// say) or the error response before the client reads it.
	closeDrain = time.Second
	// maxDrainBytes bounds what one drain reads.
	maxDrainBytes = 64 << 10
	// refuseWriteTimeout bounds writing a refusal to a new connection.
	refuseWriteTimeout = time.Second
	// maxRefusalDrains bounds the goroutines that drain refused connections
	// at once; past it a refused connection is closed at once.
	maxRefusalDrains = 64
)

// gate is the server's listener. It counts every TCP connection, in all and
// those not (yet) WebSockets, in all and per address, and refuses past
// MaxConns, MaxHTTPConns and MaxHTTPConnsPerIP before a byte is read: a
// half-sent request holds a slot like any other. Connections from trusted
// proxies are not counted per address, since theirs is not the client's; the
// WebSocket limits count those by the forwarded address instead. Its
// connections close gracefully (see closeDrain).
type gate struct {
	net.Listener
	maxConns, maxHTTP, maxHTTPPerIP int
	proxies                         proxies
	plain                           bool // not TLS: a refusal can be told in HTTP
	m                               *metrics

	mu       sync.Mutex
	total    int
	http     int
	httpByIP map[string]int
	drains   chan struct{}
}

func newGate(ln net.Listener, c Config, m *metrics) *gate {
	return &gate{
		Listener:     ln,
		maxConns:     c.MaxConns,
		maxHTTP:      c.MaxHTTPConns,
		maxHTTPPerIP: c.MaxHTTPConnsPerIP,
		proxies:      c.TrustedProxies,
		plain:        c.TLSCert == "",
		m:            m,
		httpByIP:     make(map[string]int),
		drains:       make(chan struct{}, maxRefusalDrains),
	}
}

// Accept returns the next connection within the limits; the others are told
// (503 or 429 when not TLS) and closed here.
func (g *gate) Accept() (net.Conn, error) {
	for {
		c, err := g.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := remoteIP(c.RemoteAddr().String())
		if status, limit, text := g.admit(ip); status != 0 {
			g.m.limitHit(limit)
			g.refuse(c, status, text)
			continue
		}
		return &gatedConn{Conn: c, g: g, ip: ip, http: true}, nil
	}
}

// admit counts a new connection from ip, or says which limit refuses it.
func (g *gate) admit(ip string) (status int, limit, text string) {
	perIP := true
	if a, err := netip.ParseAddr(ip); err == nil && g.proxies.trusted(a) {
		perIP = false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.total >= g.maxConns:
		return http.StatusServiceUnavailable, limitConns, fmt.Sprintf("server full: %d connections", g.maxConns)
	case g.http >= g.maxHTTP:
		return http.StatusServiceUnavailable, limitHTTPConns, fmt.Sprintf("server busy: %d requests in progress", g.maxHTTP)
	case perIP && g.httpByIP[ip] >= g.maxHTTPPerIP:
		return http.StatusTooManyRequests, limitHTTPConnsPerIP, fmt.Sprintf("more than %d requests in progress from %s", g.maxHTTPPerIP, ip)
	}
	g.total++
	g.http++
	if perIP {
		g.httpByIP[ip]++
	}
	return 0, "", ""
}

// leaveHTTP uncounts a connection as a non-WebSocket one: it was hijacked
// for a WebSocket, or closed.
func (g *gate) leaveHTTP(ip string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.http--
	if n, ok := g.httpByIP[ip]; ok {
		if n <= 1 {
			delete(g.httpByIP, ip)
		} else {
			g.httpByIP[ip] = n - 1
		}
	}
}

func (g *gate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.total--
}

// counts reports the connections counted now (tests, /healthz).
func (g *gate) counts() (total, http int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.total, g.http
}

// refuse tells a refused connection why, when it can, and closes it.
func (g *gate) refuse(c net.Conn, status int, text string) {
	if !g.plain {
		_ = c.Close() // nothing useful can be said before a TLS handshake
		return
	}
	_ = c.SetWriteDeadline(time.Now().Add(refuseWriteTimeout))
	body := text + "\n"
	_, _ = fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), len(body), body) // an error: the client is gone
	select {
	case g.drains <- struct{}{}:
		go func() {
			defer func() { <-g.drains }()
			drainClose(c)
		}()
	default:
		_ = c.Close()
	}
}

// connState is the http.Server's ConnState hook: a hijacked connection is a
// WebSocket from now on.
func (g *gate) connState(c net.Conn, state http.ConnState) {
	if state != http.StateHijacked {
		return
	}
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if gc, ok := c.(*gatedConn); ok {
		gc.hijacked()
	}
}

// gatedConn is a connection the gate counted. Close is graceful: it sends a
// FIN after whatever was written, reads what the client still sends for up
// to closeDrain, and only then closes the socket and uncounts it.
type gatedConn struct {
	net.Conn
	g  *gate
	ip string

	mu     sync.Mutex
	http   bool // counted as not a WebSocket
	closed bool
}

func (c *gatedConn) hijacked() {
	c.mu.Lock()
	wasHTTP := c.http
	c.http = false
	c.mu.Unlock()
	if wasHTTP {
		c.g.leaveHTTP(c.ip)
	}
}

func (c *gatedConn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	c.hijacked() // no longer counted as HTTP either way
	go func() {
		drainClose(c.Conn)
		c.g.leave()
	}()
	return nil
}

// SetWriteBuffer reaches the TCP socket's SO_SNDBUF through the wrapper.
func (c *gatedConn) SetWriteBuffer(n int) error {
	if tc, ok := c.Conn.(interface{ SetWriteBuffer(int) error }); ok {
		return tc.SetWriteBuffer(n)
	}
	return nil
}

// SyscallConn reaches the TCP socket through the wrapper, for the writes
// that do not wait (see batchConn).
func (c *gatedConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.ErrUnsupported
}

// ReadFrom keeps sendfile for static files (net/http copies a file into the
// connection through it).
func (c *gatedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(c.Conn, r)
}

// drainClose half-closes c, reads and discards what the client still sends
// (bounded in bytes and time), then closes it.
func drainClose(c net.Conn) {
	cw, ok := c.(interface{ CloseWrite() error })
	if !ok || cw.CloseWrite() != nil {
		_ = c.Close()
		return
	}
	_ = c.SetReadDeadline(time.Now().Add(closeDrain))
	_, _ = io.CopyN(io.Discard, c, maxDrainBytes) // ends at EOF, the deadline or the cap
	_ = c.Close()
}
