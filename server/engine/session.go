package engine

import (
	"errors"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
	"golang.org/x/time/rate"

	"github.com/skirmish-game/skirmish/netcode"
)

// Where a connection is in its session. Only its reader goroutine moves it
// on; the hello timer reads it.
const (
	phaseHello   int32 = iota // waiting for hello
	phaseJoining              // hello taken, waiting for the room's Welcome
	phaseJoined               // welcomed: inputs and pings flow
)

// maxLateFrames is how many frames a connection may still send once its
// close is decided before it is dropped right after its close frame.
const maxLateFrames = 256

// maxCloseReason keeps a close frame's reason within the 123 bytes a control
// frame leaves after the code.
const maxCloseReason = 120

// session is one WebSocket connection on the server's side: what its reader
// goroutine (gws's read loop, through handler, in reader.go) knows, its
// outbox, and how it ended. To its room it is a peer, and nothing more: the
// room never sees the reader's state, and the session never sees the
// member it drives.
type session struct {
	srv     *Server
	ip      string
	refused bool // over the per-IP limit: told so and closed on open
	out     *outbox
	log     *slog.Logger

	// Reader goroutine only (gws calls OnMessage sequentially).
	limiter *rate.Limiter
	room    *room
	in      netcode.Input
	hello   netcode.Hello
	pong    []byte
	timer   *time.Timer // hello (then welcome) timeout
	late    int         // frames read after the close was decided

	phase atomic.Int32
	code  atomic.Uint32 // close code the server decided on; 0 = none yet
	keep  atomic.Bool   // set before gone: the player waits for a resume
	gone  atomic.Bool   // the connection is closed (OnClose ran)

}

func newSession(s *Server, sock socket, ip string, refused bool) *session {
	return &session{
		srv:     s,
		ip:      ip,
		refused: refused,
		out:     newOutbox(sock, s.cfg.SendQueue, s.m),
		log:     s.log.With("remote", ip),
		limiter: newMessageLimiter(s.cfg),
	}
}

// fail tells the client why (an Error message with the code) and closes the
// connection with code, after what is already queued. Only the first close
// decided for a connection counts; fail is safe from any goroutine.
func (c *session) fail(code uint16, text string) { c.closeWith(code, text, false) }

// kick is fail for a client that does not keep up: what it has not read yet
// is dropped, so the Error and the close are next in line.
func (c *session) kick(code uint16, text string) { c.closeWith(code, text, true) }

func (c *session) closeWith(code uint16, text string, discard bool) {
	if !c.code.CompareAndSwap(0, uint32(code)) {
		return
	}
	text = netcode.TruncateUTF8(text, netcode.MaxErrorTextLen)
	msg, err := netcode.Append(nil, &netcode.Error{Kind: netcode.KindError, Code: code, Text: text})
	if err != nil {
		c.log.Error("encode error message", "err", err)
		msg = nil
	}
	c.log.Debug("closing", "code", code, "reason", text)
	c.out.close(code, netcode.TruncateUTF8(text, maxCloseReason), msg, discard)
}

// send, stage, flush, over, closed and ended, with fail, kick and welcomed,
// make a session the room's peer.

func (c *session) send(frame []byte) bool { return c.out.send(frame) }

func (c *session) stage(frame []byte) bool { return c.out.stage(gws.OpcodeBinary, frame) }

func (c *session) flush() { c.out.flush() }

func (c *session) over() bool { return c.out.over() }

func (c *session) closed() bool { return c.code.Load() != 0 || c.gone.Load() }

func (c *session) ended() (gone, keep bool) {
	if !c.gone.Load() {
		return false, false
	}
	return true, c.keep.Load()
}

// welcomed ends the hello phase: the room has sent the Welcome.
func (c *session) welcomed() {
	c.phase.Store(phaseJoined)
	if c.timer != nil {
		c.timer.Stop()
	}
}

// helloExpired runs on the hello timer's goroutine.
func (c *session) helloExpired() {
	switch c.phase.Load() {
	case phaseHello:
		c.fail(netcode.CloseHelloTimeout, "no hello within "+c.srv.cfg.HelloTimeout.String())
	case phaseJoining:
		c.fail(netcode.CloseInternal, "the room did not answer the hello")
	}
}

// recover, deferred in every gws callback, turns a panic in this connection's
// code into a log line and a 1011 close for this connection alone.
func (c *session) recover() {
	if p := recover(); p != nil {
		c.log.Error("panic in connection handler", "panic", p, "stack", string(debug.Stack()))
		c.fail(netcode.CloseInternal, "internal server error")
	}
}

// finalCode is the close code a closed connection ended with: the one the
// server chose, else the one the peer sent, else the one gws closed with
// (1009, 1002 for bad framing), else 1006 for a connection that just broke.
// ours says whether the server chose it; peer whether the client did.
func (c *session) finalCode(err error) (code uint16, ours, peer bool) {
	if code := c.code.Load(); code != 0 {
		return uint16(code), true, false
	}
	var ce *gws.CloseError
	if errors.As(err, &ce) {
		if ce.Code == 0 {
			return netcode.CloseNoStatus, false, true
		}
		return ce.Code, false, true
	}
	var sc interface{ Uint16() uint16 }
	if errors.As(err, &sc) && sc.Uint16() != 0 {
		return sc.Uint16(), false, false
	}
	return netcode.CloseAbnormal, false, false
}

// keepPlayer decides whether a closed connection's player waits ResumeGrace
// for its token: yes when the network or the server let it down, no when the
// client quit (1000) or was closed for breaking the rules.
func keepPlayer(code uint16, ours, peer bool) bool {
	switch {
	case ours:
		return code == netcode.CloseSlowConsumer || code == netcode.CloseInternal
	case peer:
		return code != netcode.CloseNormal
	default:
		return code == netcode.CloseAbnormal // other codes gws closes with are protocol violations
	}
}
