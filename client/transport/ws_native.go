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

// Conn is a WebSocket client connection over gws.
type Conn struct {
	inbox
	ws      *gws.Conn
	out     chan []byte
	done    chan struct{} // closed when the read side has ended
	opts    Options
	closing atomic.Bool
	stop    sync.Once
}

// Dial connects to a ws:// or wss:// URL. ctx bounds the TCP connect; the
// WebSocket handshake is bounded by opts.HandshakeTimeout.
func Dial(ctx context.Context, url string, opts Options) (*Conn, error) {
	opts.fill()
	c := &Conn{inbox: newInbox(opts.Inbox), out: make(chan []byte, opts.Outbox), done: make(chan struct{}), opts: opts}
	ws, _, err := gws.NewClient((*events)(c), &gws.ClientOption{
		Addr:               url,
		HandshakeTimeout:   opts.HandshakeTimeout,
		ReadMaxPayloadSize: opts.MaxMessage,
		NewDialer:          func() (gws.Dialer, error) { return ctxDialer{ctx}, nil },
	})
	if err != nil {
		return nil, fmt.Errorf("transport: dial %s: %w", url, err)
	}
	c.ws = ws
	go ws.ReadLoop()
	go c.writeLoop()
	return c, nil
}

// Send queues a copy of msg to be written as one binary message.
func (c *Conn) Send(msg []byte) error {
	select {
	case <-c.done:
		return ErrClosed
	default:
	}
	select {
	case c.out <- bytes.Clone(msg):
		return nil
	case <-c.done:
		return ErrClosed
	default:
		return ErrBackpressure
	}
}

// Close starts the closing handshake (code 1000) and drops the connection if
// the server has not answered within a second. Messages is closed once the
// connection has ended; Err is then ErrClosed.
func (c *Conn) Close() error {
	c.stop.Do(func() {
		c.closing.Store(true)
		_ = c.ws.WriteClose(1000, nil) // a failed write just means the connection is already gone
		_ = c.ws.SetDeadline(time.Now().Add(closeWait))
	})
	return nil
}

func (c *Conn) writeLoop() {
	for {
		select {
		case msg := <-c.out:
			_ = c.ws.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout))
			if err := c.ws.WriteMessage(gws.OpcodeBinary, msg); err != nil {
				// The read loop notices the dead socket and reports why.
				_ = c.ws.NetConn().Close()
				return
			}
		case <-c.done:
			return
		}
	}
}

// events is Conn's gws event handler, kept off Conn's method set.
type events Conn

func (e *events) OnOpen(*gws.Conn)              {}
func (e *events) OnPing(ws *gws.Conn, p []byte) { _ = ws.WritePong(p) } // a lost pong shows up as a read error
func (e *events) OnPong(*gws.Conn, []byte)      {}
func (e *events) OnMessage(_ *gws.Conn, m *gws.Message) {
	if m.Opcode == gws.OpcodeBinary {
		e.push(bytes.Clone(m.Bytes()))
	}
	_ = m.Close() // returns the buffer to gws's pool; it cannot fail
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
	close(e.done)
	e.finish(err)
}

// ctxDialer lets ctx cancel the TCP connect gws makes.
type ctxDialer struct{ ctx context.Context }

func (d ctxDialer) Dial(network, addr string) (net.Conn, error) {
	var nd net.Dialer
	return nd.DialContext(d.ctx, network, addr)
}
