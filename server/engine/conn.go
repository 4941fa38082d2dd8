package engine

import (
	"errors"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"
	"unicode/utf8"

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

// Close codes that are never sent, only observed.
const (
	closeNoStatus uint16 = 1005 // the peer's close frame carried no code
	closeAbnormal uint16 = 1006 // the connection broke without a close frame
)

// maxLateFrames is how many frames a connection may still send once its
// close is decided before it is dropped right after its close frame.
const maxLateFrames = 256

// maxCloseReason keeps a close frame's reason within the 123 bytes a control
// frame leaves after the code.
const maxCloseReason = 120

// conn is one WebSocket connection: what its reader goroutine (gws's read
// loop, through handler) knows, its outbox, and how it ended.
type conn struct {
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

	// Room goroutine only: the player this connection drives.
	mem *member
}

func newConn(s *Server, sock socket, ip string, refused bool) *conn {
	return &conn{
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
func (c *conn) fail(code uint16, text string) { c.closeWith(code, text, false) }

// kick is fail for a client that does not keep up: what it has not read yet
// is dropped, so the Error and the close are next in line.
func (c *conn) kick(code uint16, text string) { c.closeWith(code, text, true) }

func (c *conn) closeWith(code uint16, text string, discard bool) {
	if !c.code.CompareAndSwap(0, uint32(code)) {
		return
	}
	text = truncateUTF8(text, netcode.MaxErrorTextLen)
	msg, err := netcode.Append(nil, &netcode.Error{Kind: netcode.KindError, Code: code, Text: text})
	if err != nil {
		c.log.Error("encode error message", "err", err)
		msg = nil
	}
	c.log.Debug("closing", "code", code, "reason", text)
	c.out.close(code, truncateUTF8(text, maxCloseReason), msg, discard)
}

// welcomed ends the hello phase: the room has sent the Welcome.
func (c *conn) welcomed() {
	c.phase.Store(phaseJoined)
	if c.timer != nil {
		c.timer.Stop()
	}
}

// helloExpired runs on the hello timer's goroutine.
func (c *conn) helloExpired() {
	switch c.phase.Load() {
	case phaseHello:
		c.fail(netcode.CloseHelloTimeout, "no hello within "+c.srv.cfg.HelloTimeout.String())
	case phaseJoining:
		c.fail(netcode.CloseInternal, "the room did not answer the hello")
	}
}

// recover, deferred in every gws callback, turns a panic in this connection's
// code into a log line and a 1011 close for this connection alone.
func (c *conn) recover() {
	if p := recover(); p != nil {
		c.log.Error("panic in connection handler", "panic", p, "stack", string(debug.Stack()))
		c.fail(netcode.CloseInternal, "internal server error")
	}
}

// finalCode is the close code a closed connection ended with: the one the
// server chose, else the one the peer sent, else the one gws closed with
// (1009, 1002 for bad framing), else 1006 for a connection that just broke.
// ours says whether the server chose it; peer whether the client did.
func (c *conn) finalCode(err error) (code uint16, ours, peer bool) {
	if code := c.code.Load(); code != 0 {
		return uint16(code), true, false
	}
	var ce *gws.CloseError
	if errors.As(err, &ce) {
		if ce.Code == 0 {
			return closeNoStatus, false, true
		}
		return ce.Code, false, true
	}
	var sc interface{ Uint16() uint16 }
	if errors.As(err, &sc) && sc.Uint16() != 0 {
		return sc.Uint16(), false, false
	}
	return closeAbnormal, false, false
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
		return code == closeAbnormal // other codes gws closes with are protocol violations
	}
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
