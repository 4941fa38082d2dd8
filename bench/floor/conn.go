package floor

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"

	"github.com/skirmish-game/skirmish/netcode"
)

const sessionKey = "floor"

// client is one connection. Its read loop (gws's) decodes what it must;
// its writer goroutine writes everything after the Welcome, so a slow
// client holds up only itself and a tick it missed is skipped, not queued.
type client struct {
	s       *Server
	ws      *gws.Conn
	lastSeq atomic.Uint32 // newest input seq read, which each snapshot names
	hello   bool          // read loop only: the hello came
	wake    chan struct{} // capacity 1: work is due
	done    chan struct{}
	stop    sync.Once

	mu       sync.Mutex // guards what is due below
	snapDue  bool
	boardDue bool
	pongDue  bool
	pong     netcode.Pong
}

func newClient(s *Server, ws *gws.Conn) *client {
	return &client{s: s, ws: ws, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// due marks this tick's snapshot (and the board) for the writer. A writer
// still busy with an older tick takes only the newest one.
func (c *client) due(board bool) {
	c.mu.Lock()
	c.snapDue = true
	c.boardDue = c.boardDue || board
	c.mu.Unlock()
	c.signal()
}

func (c *client) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// write is the connection's writer: snapshots, boards and pongs.
func (c *client) write() {
	var buf []byte
	for {
		select {
		case <-c.done:
			return
		case <-c.wake:
		}
		c.mu.Lock()
		snap, board, pongDue, pong := c.snapDue, c.boardDue, c.pongDue, c.pong
		c.snapDue, c.boardDue, c.pongDue = false, false, false
		c.mu.Unlock()
		if pongDue {
			var err error
			if buf, err = netcode.Append(buf[:0], &pong); err != nil || c.ws.WriteMessage(gws.OpcodeBinary, buf) != nil {
				return // gws closes the connection on a failed write
			}
		}
		if snap {
			buf = appendSnapshot(buf[:0], c.s.tick.Load(), c.lastSeq.Load(), c.s.body, c.s.entities)
			if c.ws.WriteMessage(gws.OpcodeBinary, buf) != nil {
				return
			}
		}
		if b := c.s.board.Load(); board && b != nil {
			if c.ws.WriteMessage(gws.OpcodeBinary, *b) != nil {
				return
			}
		}
	}
}

func (c *client) close() { c.stop.Do(func() { close(c.done) }) }

// handler is the server's gws event handler.
type handler struct{ s *Server }

func (h handler) OnOpen(ws *gws.Conn) { ws.Session().Store(sessionKey, newClient(h.s, ws)) }

func (h handler) OnClose(ws *gws.Conn, _ error) {
	if c, ok := clientOf(ws); ok {
		c.close()
		h.s.leave(c)
	}
}

func (h handler) OnPing(ws *gws.Conn, payload []byte) {
	_ = ws.WritePong(payload) // a failed write closes the connection
}

func (handler) OnPong(*gws.Conn, []byte) {}

func (h handler) OnMessage(ws *gws.Conn, m *gws.Message) {
	defer m.Close()
	c, ok := clientOf(ws)
	if !ok {
		return
	}
	if m.Opcode != gws.OpcodeBinary {
		c.refuse(netcode.CloseUnsupported, "binary messages only")
		return
	}
	c.receive(m.Bytes())
}

func clientOf(ws *gws.Conn) (*client, bool) {
	v, ok := ws.Session().Load(sessionKey)
	if !ok {
		return nil, false
	}
	c, ok := v.(*client)
	return c, ok
}

// receive takes one client message, decoding only what an answer needs.
func (c *client) receive(data []byte) {
	kind, err := netcode.PeekKind(data)
	if err != nil {
		c.refuse(netcode.CloseBadMessage, "not a message")
		return
	}
	if !c.hello && kind != netcode.KindHello {
		c.refuse(netcode.CloseNoHello, "hello first")
		return
	}
	switch kind {
	case netcode.KindHello:
		var h netcode.Hello
		switch err := netcode.DecodeHello(data, &h); {
		case err != nil:
			c.refuse(netcode.CloseBadMessage, "bad hello")
		case c.hello:
			c.refuse(netcode.CloseBadMessage, "a second hello")
		case h.Version != netcode.ProtocolVersion:
			c.refuse(netcode.CloseProtocolError, "protocol version")
		default:
			c.hello = true
			if err := c.s.welcome(c, &h); err != nil {
				c.s.log.Debug("welcome failed", "err", err)
			}
		}
	case netcode.KindInput:
		var in netcode.Input
		if err := netcode.DecodeInput(data, &in); err != nil {
			c.refuse(netcode.CloseBadMessage, "bad input")
			return
		}
		c.lastSeq.Store(in.Seq)
	case netcode.KindPing:
		var p netcode.Ping
		if err := netcode.DecodePing(data, &p); err != nil {
			c.refuse(netcode.CloseBadMessage, "bad ping")
			return
		}
		c.mu.Lock()
		c.pong = netcode.Pong{Kind: netcode.KindPong, ClientTime: p.ClientTime, ServerTime: time.Since(c.s.start).Microseconds(), ServerTick: c.s.tick.Load()}
		c.pongDue = true
		c.mu.Unlock()
		c.signal()
	default:
		c.refuse(netcode.CloseUnknownKind, "unknown kind")
	}
}

// refuse closes the connection with code and a one-line reason.
func (c *client) refuse(code uint16, reason string) {
	_ = c.ws.WriteClose(code, []byte(reason)) // gws closes the connection either way
}
