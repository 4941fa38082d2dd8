package engine

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/lxzan/gws"

	"github.com/skirmish-game/skirmish/netcode"
)

// tokenBytes of crypto/rand make a session token: 24 bytes, 32 characters of
// base64url, well within netcode.MaxTokenLen.
const tokenBytes = 24

// defaultPlayerName stands in for an empty hello name.
const defaultPlayerName = "player"

// handler is the gws.Event of every connection; per-connection state lives in
// the session that its slot holds. Each callback recovers its own panics
// (gws's Recovery cannot tell which connection panicked).
type handler struct{ srv *Server }

// sessionSlot is the gws session storage of a connection: just its conn, so a
// callback finds it without a map lookup. The SessionStorage methods exist
// for gws; the engine does not use them.
type sessionSlot struct{ c *session }

func (s *sessionSlot) Len() int                       { return 1 }
func (s *sessionSlot) Load(string) (any, bool)        { return s.c, s.c != nil }
func (s *sessionSlot) Delete(string)                  {}
func (s *sessionSlot) Store(string, any)              {}
func (s *sessionSlot) Range(f func(string, any) bool) { f("session", s.c) }

func sessionOf(ws *gws.Conn) *session { return ws.Session().(*sessionSlot).c }

func (h handler) OnOpen(ws *gws.Conn) {
	c := sessionOf(ws)
	defer c.recover()
	h.srv.m.connsOpened.Inc()
	switch {
	case c.refused:
		h.srv.m.limitHit(limitConnsPerIP)
		c.fail(netcode.CloseTooManyConns, fmt.Sprintf("more than %d connections from %s", h.srv.cfg.MaxConnsPerIP, c.ip))
	case !h.srv.track(c):
		c.fail(netcode.CloseGoingAway, "server shutting down")
	default:
		c.timer = time.AfterFunc(h.srv.cfg.HelloTimeout, c.helloExpired)
	}
}

func (h handler) OnClose(ws *gws.Conn, err error) {
	c := sessionOf(ws)
	defer c.recover()
	code, ours, peer := c.finalCode(err)
	if code == netcode.CloseTooBig && !ours {
		h.srv.m.decodeError(reasonTooLarge)
	}
	h.srv.m.closed(code)
	c.keep.Store(keepPlayer(code, ours, peer))
	c.gone.Store(true)
	c.out.stop()
	if c.timer != nil {
		c.timer.Stop()
	}
	h.srv.ips.release(c.ip)
	h.srv.untrack(c)
	c.log.Debug("closed", "code", code, "by_server", ours, "err", err)
}

// OnPing answers a WebSocket ping through the outbox: gws's default writes
// the pong from the read loop, which a full socket would block. A ping is a
// message like any other to the rate limit, and at most one pong waits.
func (h handler) OnPing(ws *gws.Conn, payload []byte) {
	c := sessionOf(ws)
	defer c.recover()
	h.srv.m.messagesIn.Inc()
	if c.afterClose() || !c.allow() {
		return
	}
	if !c.out.sendPong(payload) {
		h.srv.m.framesDropped.Inc()
	}
}

func (h handler) OnPong(*gws.Conn, []byte) {}

// OnMessage decodes, validates and hands on one client message. It never
// blocks: inputs go to the room's bounded inbox or are dropped and counted.
func (h handler) OnMessage(ws *gws.Conn, msg *gws.Message) {
	c := sessionOf(ws)
	defer msg.Close()
	defer c.recover()
	c.receive(msg.Opcode, msg.Bytes())
}

func (c *session) receive(op gws.Opcode, data []byte) {
	m := c.srv.m
	m.messagesIn.Inc()
	m.bytesIn.Add(float64(len(data)))
	if c.afterClose() {
		return
	}
	if op != gws.OpcodeBinary {
		c.reject(reasonText, netcode.CloseUnsupported, "text frames are not accepted: messages are binary msgpack")
		return
	}
	if !c.allow() {
		return
	}
	kind, err := netcode.PeekKind(data)
	if err != nil {
		c.rejectDecode(err)
		return
	}
	switch kind {
	case netcode.KindHello:
		c.onHello(data)
	case netcode.KindInput:
		c.onInput(data)
	case netcode.KindPing:
		c.onPing(data)
	default:
		c.reject(reasonUnknownKind, netcode.CloseUnknownKind, fmt.Sprintf("the server does not take messages of kind %d", kind))
	}
}

// afterClose reports whether a close has been decided; then what the client
// still sends is dropped, and a client that goes on sending past
// maxLateFrames (a flood that does not stop for the close frame) is dropped
// as soon as its close frame is out, so that reading it costs the server
// no more than the bounded drain of a graceful close.
func (c *session) afterClose() bool {
	if c.code.Load() == 0 {
		return false
	}
	if c.late++; c.late == maxLateFrames {
		c.srv.m.lateDrops.Inc()
		c.out.hurry()
	}
	return true
}

// allow charges one message (a WebSocket ping included) to the connection's
// rate limit; past it the connection is closed with CloseRateLimited.
func (c *session) allow() bool {
	if c.limiter.Allow() {
		return true
	}
	c.srv.m.limitHit(limitMessageRate)
	c.fail(netcode.CloseRateLimited, fmt.Sprintf("over %.0f messages per second, %d at once", c.srv.cfg.InputRate, c.srv.cfg.InputBurst))
	return false
}

// reject counts a bad frame under reason and closes with code.
func (c *session) reject(reason string, code uint16, text string) {
	c.srv.m.decodeError(reason)
	c.fail(code, text)
}

func (c *session) rejectDecode(err error) {
	code := netcode.CloseCode(err)
	reason := reasonMalformed
	switch code {
	case netcode.CloseUnknownKind:
		reason = reasonUnknownKind
	case netcode.CloseInvalidValue:
		reason = reasonInvalid
	}
	c.reject(reason, code, err.Error())
}

// needHello rejects a message that came before the hello.
func (c *session) needHello() bool {
	if c.phase.Load() == phaseHello {
		c.reject(reasonNoHello, netcode.CloseNoHello, "the first message must be a hello")
		return true
	}
	return false
}

func (c *session) onHello(data []byte) {
	if c.phase.Load() != phaseHello {
		c.reject(reasonMalformed, netcode.CloseBadMessage, "hello sent twice")
		return
	}
	if err := netcode.DecodeHello(data, &c.hello); err != nil {
		c.rejectDecode(err)
		return
	}
	h := &c.hello
	if h.Version != netcode.ProtocolVersion {
		c.reject(reasonVersion, netcode.CloseProtocolError,
			fmt.Sprintf("protocol version %d is not supported: this server speaks version %d", h.Version, netcode.ProtocolVersion))
		return
	}
	if h.Token != "" {
		c.resume(h.Token)
		return
	}
	if h.Ticket != "" || c.srv.fleet.RequireTicket {
		c.joinTicketed(h.Name, h.Room, h.Ticket)
		return
	}
	c.join(h.Name, h.Room)
}

func (c *session) join(name, roomName string) {
	token := newToken()
	r, err := c.srv.rooms.admit(roomName, token, c.ip)
	if err != nil {
		code, text := uint16(netcode.CloseRoomFull), err.Error()
		var le *addressLimitError
		switch {
		case errors.Is(err, ErrDraining):
			code, text = netcode.CloseGoingAway, DrainReason
		case errors.Is(err, errShuttingDown):
			code = netcode.CloseGoingAway
		case errors.As(err, &le):
			code = netcode.CloseTooManyConns
			c.srv.m.limitHit(le.limit)
		}
		c.fail(code, text)
		return
	}
	c.enter(r, name, token)
}

// enter hands a player admitted to r, with its place taken, to the room.
func (c *session) enter(r *room, name, token string) {
	if name == "" {
		name = defaultPlayerName
	}
	c.room = r
	c.phase.Store(phaseJoining)
	if !r.post(event{kind: evJoin, p: c, name: name, token: token}) {
		c.srv.rooms.unadmit(r, token)
		c.fail(netcode.CloseRoomFull, "room "+r.name+" is too busy, try again")
	}
}

func (c *session) resume(token string) {
	r := c.srv.rooms.lookup(token)
	if r == nil {
		c.fail(netcode.CloseResumeFailed, "unknown or expired session token")
		return
	}
	c.room = r
	c.phase.Store(phaseJoining)
	if !r.post(event{kind: evResume, p: c, token: token}) {
		c.fail(netcode.CloseRoomFull, "room "+r.name+" is too busy, try again")
	}
}

func (c *session) onInput(data []byte) {
	if c.needHello() {
		return
	}
	if err := netcode.DecodeInput(data, &c.in); err != nil {
		c.rejectDecode(err)
		return
	}
	if !c.room.post(event{kind: evInput, p: c, in: c.in}) {
		c.srv.m.inputsDropped.Inc()
	}
}

// onPing answers at once, from the reader: a Pong that waited for the room's
// goroutine would add up to a tick to the round trip the client measures.
func (c *session) onPing(data []byte) {
	if c.needHello() {
		return
	}
	var p netcode.Ping
	if err := netcode.DecodePing(data, &p); err != nil {
		c.rejectDecode(err)
		return
	}
	pong := netcode.Pong{
		Kind:       netcode.KindPong,
		ClientTime: p.ClientTime,
		ServerTime: time.Since(c.srv.start).Microseconds(),
		ServerTick: c.room.tick.Load(),
	}
	var err error
	if c.pong, err = netcode.Append(c.pong[:0], &pong); err != nil {
		c.log.Error("encode pong", "err", err)
		return
	}
	if !c.out.send(c.pong) {
		c.srv.m.framesDropped.Inc()
	}
}

func newToken() string {
	var b [tokenBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}
