package floor

import (
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lxzan/gws"

	"github.com/skirmish-game/skirmish/internal/rawsock"
	"github.com/skirmish-game/skirmish/netcode"
)

const sessionKey = "floor"

// client is one connection. Its read loop (gws's) decodes what it must.
// The tick writes its snapshot (and the board) itself, in one write that
// does not wait, as the engine's snapshot workers do; only what the socket
// does not take, and the pongs, go to a writer goroutine started for them,
// which ends once nothing is due. So a slow client holds up only itself,
// and a tick it missed is skipped, not queued.
type client struct {
	s       *Server
	ws      *gws.Conn
	raw     syscall.RawConn // nil: every write goes through the writer
	lastSeq atomic.Uint32   // newest input seq read, which each snapshot names
	hello   bool            // read loop only: the hello came

	// wmu is held by whoever writes to the socket: the tick (which only
	// tries it) or the writer. It keeps frames whole: what a tick's write
	// left over goes out before any other frame.
	wmu    sync.Mutex
	unsent []byte // what the socket did not take of a tick's frames

	mu       sync.Mutex // guards what is due below
	writing  bool       // the writer goroutine runs
	snapDue  bool
	boardDue bool
	pongDue  bool
	pong     netcode.Pong
}

func newClient(s *Server, ws *gws.Conn) *client {
	c := &client{s: s, ws: ws}
	if sc, ok := ws.NetConn().(syscall.Conn); ok && rawsock.Supported {
		if raw, err := sc.SyscallConn(); err == nil {
			c.raw = raw
		}
	}
	return c
}

// tickBufs are the tick's buffers, which it reuses for every client.
type tickBufs struct{ snap, frames []byte }

// send writes this tick's snapshot (and board, if not nil) at once, or
// leaves it to the writer while that one is busy with this client.
func (c *client) send(tick uint32, board []byte, b *tickBufs) {
	if c.raw == nil || !c.wmu.TryLock() {
		c.due(board != nil)
		return
	}
	defer c.wmu.Unlock()
	if len(c.unsent) > 0 {
		c.due(board != nil) // the writer has not finished the last one
		return
	}
	b.snap = appendSnapshot(b.snap[:0], tick, c.lastSeq.Load(), c.s.body, c.s.entities)
	b.frames = appendFrame(b.frames[:0], b.snap)
	if board != nil {
		b.frames = appendFrame(b.frames, board)
	}
	n, err := rawsock.WriteNow(c.raw, b.frames)
	switch {
	case err != nil:
		_ = c.ws.NetConn().Close() // gws's read loop ends, and OnClose with it
	case n < len(b.frames):
		c.s.handedOver.Add(1)
		c.unsent = append(c.unsent[:0], b.frames[n:]...)
		c.mu.Lock()
		c.start()
		c.mu.Unlock()
	}
}

// due marks this tick's snapshot (and the board) for the writer. A writer
// still busy with an older tick takes only the newest one.
func (c *client) due(board bool) {
	c.mu.Lock()
	c.snapDue = true
	c.boardDue = c.boardDue || board
	c.start()
	c.mu.Unlock()
}

// start runs the writer unless it runs; c.mu is held.
func (c *client) start() {
	if !c.writing {
		c.writing = true
		go c.write()
	}
}

// write is the connection's writer: what a tick left unsent, then
// snapshots, boards and pongs, until nothing is due. A failed write ends
// it for good (gws closes the connection on a failed write).
func (c *client) write() {
	var buf []byte
	for {
		c.wmu.Lock()
		if len(c.unsent) > 0 {
			if _, err := c.ws.NetConn().Write(c.unsent); err != nil {
				c.wmu.Unlock()
				_ = c.ws.NetConn().Close()
				return
			}
			c.unsent = c.unsent[:0]
		}
		c.mu.Lock()
		snap, board, pongDue, pong := c.snapDue, c.boardDue, c.pongDue, c.pong
		c.snapDue, c.boardDue, c.pongDue = false, false, false
		if !snap && !board && !pongDue {
			c.writing = false
			c.mu.Unlock()
			c.wmu.Unlock()
			return
		}
		c.mu.Unlock()
		err := c.writeDue(&buf, snap, board, pongDue, &pong)
		c.wmu.Unlock()
		if err != nil {
			return
		}
	}
}

// writeDue writes what is due through gws; c.wmu is held.
func (c *client) writeDue(buf *[]byte, snap, board, pongDue bool, pong *netcode.Pong) error {
	if pongDue {
		var err error
		if *buf, err = netcode.Append((*buf)[:0], pong); err != nil {
			return err
		}
		if err := c.ws.WriteMessage(gws.OpcodeBinary, *buf); err != nil {
			return err
		}
	}
	if snap {
		*buf = appendSnapshot((*buf)[:0], c.s.tick.Load(), c.lastSeq.Load(), c.s.body, c.s.entities)
		if err := c.ws.WriteMessage(gws.OpcodeBinary, *buf); err != nil {
			return err
		}
	}
	if b := c.s.board.Load(); board && b != nil {
		return c.ws.WriteMessage(gws.OpcodeBinary, *b)
	}
	return nil
}

// writeClose sends a close frame after whatever frame is going out.
func (c *client) writeClose(code uint16, reason string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.WriteClose(code, []byte(reason)) // gws closes the connection either way
}

// handler is the server's gws event handler.
type handler struct{ s *Server }

func (h handler) OnOpen(ws *gws.Conn) { ws.Session().Store(sessionKey, newClient(h.s, ws)) }

func (h handler) OnClose(ws *gws.Conn, _ error) {
	if c, ok := clientOf(ws); ok {
		h.s.leave(c)
	}
}

func (h handler) OnPing(ws *gws.Conn, payload []byte) {
	c, ok := clientOf(ws)
	if !ok {
		return
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
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
		c.start()
		c.mu.Unlock()
	default:
		c.refuse(netcode.CloseUnknownKind, "unknown kind")
	}
}

// refuse closes the connection with code and a one-line reason.
func (c *client) refuse(code uint16, reason string) { c.writeClose(code, reason) }
