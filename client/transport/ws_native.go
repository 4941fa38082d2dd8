//go:build !js

package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
)

// Conn is a WebSocket client connection over gws. It is the project's one
// gws client: the desktop game, the bench's bots and the end-to-end and
// engine tests all dial through it.
type Conn struct {
	inbox
	ws        *gws.Conn
	out       chan []byte
	done      chan struct{} // closed when the read side has ended, after Err is set
	opts      Options
	sim       *simNet // nil unless opts.Sim is on
	closing   atomic.Bool
	stop      sync.Once
	startSend sync.Once
}

// Dial connects to a ws:// or wss:// URL. ctx bounds the TCP connect; the
// WebSocket handshake is bounded by opts.HandshakeTimeout.
func Dial(ctx context.Context, url string, opts Options) (*Conn, error) {
	opts.fill()
	if err := opts.Sim.Validate(); err != nil {
		return nil, err
	}
	c := &Conn{inbox: newInbox(opts.Inbox, opts.Stamp), out: make(chan []byte, opts.Outbox), done: make(chan struct{}), opts: opts}
	nd := opts.Dialer
	if nd == nil {
		nd = &net.Dialer{}
	}
	ws, _, err := gws.NewClient((*events)(c), &gws.ClientOption{
		Addr:               url,
		HandshakeTimeout:   opts.HandshakeTimeout,
		ReadMaxPayloadSize: opts.MaxMessage,
		NewDialer:          func() (gws.Dialer, error) { return ctxDialer{ctx, nd}, nil },
		RequestHeader:      opts.Header,
		TlsConfig:          opts.TLS,
	})
	if err != nil {
		return nil, fmt.Errorf("transport: dial %s: %w", url, err)
	}
	c.ws = ws
	if opts.Sim.On() {
		c.sim = newSimNet(opts.Sim, func(msg []byte, _ time.Time) { c.writeTimed(msg) }, c.deliver)
	}
	go ws.ReadLoop()
	return c, nil
}

// Send queues a copy of msg to be written as one binary message by the
// connection's writer, so the game loop never waits on the network.
func (c *Conn) Send(msg []byte) error {
	select {
	case <-c.done:
		return ErrClosed
	default:
	}
	if c.sim != nil {
		return c.sim.send(bytes.Clone(msg))
	}
	// The writer starts with the first Send: a bot, which only uses Write,
	// does without its goroutine.
	c.startSend.Do(func() { go c.writeLoop() })
	select {
	case c.out <- bytes.Clone(msg):
		return nil
	case <-c.done:
		return ErrClosed
	default:
		return ErrBackpressure
	}
}

// Write writes msg as one binary message now, on the caller's goroutine,
// without copying it and without a deadline: for a caller that measures its
// own sends (a bot) or wants the error at once (a test). It may be called
// while Send's writer runs; gws serialises the frames. With Options.Sim it
// is Send without the copy being the caller's: msg is copied and held, and a
// failed write shows only as the connection's end.
func (c *Conn) Write(msg []byte) error {
	if c.sim != nil {
		return c.sim.send(bytes.Clone(msg))
	}
	return c.write(gws.OpcodeBinary, msg)
}

// WriteText writes msg as one text frame. The protocol has none; it is there
// to test how a server treats one.
func (c *Conn) WriteText(msg []byte) error { return c.write(gws.OpcodeText, msg) }

func (c *Conn) write(op gws.Opcode, msg []byte) error {
	if err := c.ws.WriteMessage(op, msg); err != nil {
		return fmt.Errorf("transport: write: %w", err)
	}
	return nil
}

// Close starts the closing handshake (code 1000) and drops the connection if
// the server has not answered within a second. Messages is closed once the
// connection has ended; Err is then ErrClosed, or the server's answering
// *CloseError.
func (c *Conn) Close() error { return c.CloseWith(1000) }

// CloseWith closes with a close code of the caller's choosing (a test plays
// a client that picks odd ones); Close sends 1000.
func (c *Conn) CloseWith(code uint16) error {
	c.stop.Do(func() {
		c.closing.Store(true)
		closeNow := func() {
			_ = c.ws.WriteClose(code, nil) // a failed write just means the connection is already gone
			_ = c.ws.SetDeadline(time.Now().Add(closeWait))
		}
		// Simulated, the close frame leaves after the messages sent
		// before it, as it would over a slow network.
		if c.sim == nil || c.sim.closeSend(closeNow) != nil {
			closeNow()
		}
	})
	return nil
}

// Abort drops the TCP connection without a close frame, as a failing network
// would.
func (c *Conn) Abort() {
	_ = c.ws.NetConn().Close() // closing twice is harmless; the read loop reports the end
}

// Done is closed when the connection has ended; Err then says why.
func (c *Conn) Done() <-chan struct{} { return c.done }

func (c *Conn) writeLoop() {
	for {
		select {
		case msg := <-c.out:
			if !c.writeTimed(msg) {
				return
			}
		case <-c.done:
			return
		}
	}
}

// writeTimed writes msg within opts.WriteTimeout; on failure it drops the
// socket, and the read loop notices and reports why.
func (c *Conn) writeTimed(msg []byte) bool {
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
	if err := c.ws.WriteMessage(gws.OpcodeBinary, msg); err != nil {
		_ = c.ws.NetConn().Close()
		return false
	}
	return true
}

// deliver hands on a received message, at its (simulated) arrival time.
// msg is the Conn's to give away.
func (c *Conn) deliver(msg []byte, at time.Time) {
	if c.opts.OnMessage != nil {
		c.opts.OnMessage(msg)
		return
	}
	c.push(msg, at)
}

// events is Conn's gws event handler, kept off Conn's method set.
type events Conn

func (e *events) OnOpen(*gws.Conn)              {}
func (e *events) OnPing(ws *gws.Conn, p []byte) { _ = ws.WritePong(p) } // a lost pong shows up as a read error
func (e *events) OnPong(*gws.Conn, []byte)      {}
func (e *events) OnMessage(_ *gws.Conn, m *gws.Message) {
	at := time.Now() // first: whatever the reader does next is not the network's time
	defer m.Close()  // returns the buffer to gws's pool
	if m.Opcode != gws.OpcodeBinary {
		return
	}
	switch {
	case e.sim != nil:
		// Held, then handed on by deliver; the reader goes on reading
		// meanwhile, as the kernel would.
		if e.sim.receive(bytes.Clone(m.Bytes()), at) != nil {
			e.dropped.Add(1)
		}
	case e.opts.OnMessage != nil:
		e.opts.OnMessage(m.Bytes())
	default:
		(*Conn)(e).deliver(bytes.Clone(m.Bytes()), at)
	}
}

func (e *events) OnClose(_ *gws.Conn, err error) {
	var ce *gws.CloseError
	switch {
	case errors.As(err, &ce):
		err = &CloseError{Code: ce.Code, Reason: string(ce.Reason)}
	case e.closing.Load():
		err = ErrClosed
	default:
		err = fmt.Errorf("transport: %w", err)
	}
	end := func() { e.finish(err, func() { close(e.done) }) }
	if e.sim == nil {
		end()
		return
	}
	// The end reaches the reader after the messages that came before it.
	e.sim.ended(end, time.Now())
}

// ctxDialer lets ctx cancel the TCP connect gws makes.
type ctxDialer struct {
	ctx context.Context
	nd  *net.Dialer
}

func (d ctxDialer) Dial(network, addr string) (net.Conn, error) {
	return d.nd.DialContext(d.ctx, network, addr)
}
