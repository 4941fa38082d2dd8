package engine

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// Raw client frames for the cases netcode.Append refuses to encode.
var (
	inputNaNAim   = []byte{0x97, 0x03, 0x01, 0x00, 0xca, 0x7f, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00}
	inputInfAim   = []byte{0x97, 0x03, 0x01, 0x00, 0xcb, 0x7f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00} // float64 +Inf
	inputBadMove  = []byte{0x97, 0x03, 0x01, 0x10, 0xca, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}
	inputBadShape = []byte{0x93, 0x03, 0x01, 0x02}
	kindNine      = []byte{0x91, 0x09}
	notMsgpack    = []byte{0xc1, 0x00, 0x00}
)

func encode(t *testing.T, m any) []byte {
	t.Helper()
	b, err := netcode.Append(nil, m)
	require.NoError(t, err)
	return b
}

func (l *ipLimiter) count(ip string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conns[ip]
}

// Every kind of bad client gets its close code (and an Error message first,
// where the connection is writable), is counted, and the other client in its
// room goes on getting snapshots.
func TestBadInput(t *testing.T) {
	cfg := testConfig(t)
	cfg.HelloTimeout = time.Second
	cfg.MaxConnsPerIP = 4
	cfg.RoomCapacity = 2
	// Each case's room closes once its players are gone, as the case waits
	// for: a room left ticking for the resume grace and the empty-room TTL
	// (40 s) would pile up behind the cases, and on a loaded machine the
	// last ones ran on a server ticking twenty rooms, too slow to read a
	// hello within the hello timeout.
	cfg.EmptyRoomTTL = 0
	ts := startServer(t, cfg)

	type env struct {
		t    *testing.T
		c    *testClient // the bad client, dialled, not yet said hello
		room string      // the observer's room
		// dial opens another connection, closed with the case's own and
		// waited for before the next case counts connections again.
		dial func() *testClient
	}
	tests := []struct {
		name      string
		hello     bool // the bad client joins the room before misbehaving
		act       func(e env) *testClient
		code      uint16
		withError bool
		reason    string // decode error reason counted; "" for none
	}{
		{name: "frame over the size limit", code: netcode.CloseTooBig, reason: reasonTooLarge,
			act: func(e env) *testClient { e.c.sendRaw(make([]byte, cfg.MaxFrameBytes+1)); return e.c }},
		{name: "text frame", code: netcode.CloseUnsupported, withError: true, reason: reasonText,
			act: func(e env) *testClient { e.c.sendText([]byte("hello")); return e.c }},
		{name: "not msgpack", hello: true, code: netcode.CloseBadMessage, withError: true, reason: reasonMalformed,
			act: func(e env) *testClient { e.c.sendRaw(notMsgpack); return e.c }},
		{name: "truncated input", hello: true, code: netcode.CloseBadMessage, withError: true, reason: reasonMalformed,
			act: func(e env) *testClient {
				b := encode(e.t, &netcode.Input{Seq: 1, Aim: 1})
				e.c.sendRaw(b[:len(b)-3])
				return e.c
			}},
		{name: "length headers claiming billions", hello: true, code: netcode.CloseBadMessage, withError: true, reason: reasonMalformed,
			act: func(e env) *testClient {
				// An array32 of 2^32-1 elements, then a str32 of as many
				// bytes: decoding either as claimed would allocate gigabytes.
				e.c.sendRaw([]byte{0xdd, 0xff, 0xff, 0xff, 0xff, 0x03, 0xdb, 0xff, 0xff, 0xff, 0xff})
				return e.c
			}},
		{name: "input of the wrong shape", hello: true, code: netcode.CloseBadMessage, withError: true, reason: reasonMalformed,
			act: func(e env) *testClient { e.c.sendRaw(inputBadShape); return e.c }},
		{name: "hello twice", hello: true, code: netcode.CloseBadMessage, withError: true, reason: reasonMalformed,
			act: func(e env) *testClient {
				e.c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "again"})
				return e.c
			}},
		{name: "unknown kind", hello: true, code: netcode.CloseUnknownKind, withError: true, reason: reasonUnknownKind,
			act: func(e env) *testClient { e.c.sendRaw(kindNine); return e.c }},
		{name: "server-to-client kind", hello: true, code: netcode.CloseUnknownKind, withError: true, reason: reasonUnknownKind,
			act: func(e env) *testClient {
				e.c.send(&netcode.Error{Code: netcode.CloseNormal, Text: "bye"})
				return e.c
			}},
		{name: "NaN aim", hello: true, code: netcode.CloseInvalidValue, withError: true, reason: reasonInvalid,
			act: func(e env) *testClient { e.c.sendRaw(inputNaNAim); return e.c }},
		{name: "infinite aim", hello: true, code: netcode.CloseInvalidValue, withError: true, reason: reasonInvalid,
			act: func(e env) *testClient { e.c.sendRaw(inputInfAim); return e.c }},
		{name: "move bits out of range", hello: true, code: netcode.CloseInvalidValue, withError: true, reason: reasonInvalid,
			act: func(e env) *testClient { e.c.sendRaw(inputBadMove); return e.c }},
		{name: "ack of a tick not sent yet", hello: true, code: netcode.CloseInvalidValue, withError: true, reason: reasonInvalid,
			act: func(e env) *testClient { e.c.send(&netcode.Input{Seq: 1, Ack: 1 << 30}); return e.c }},
		{name: "wrong protocol version", code: netcode.CloseProtocolError, withError: true, reason: reasonVersion,
			act: func(e env) *testClient { e.c.send(&netcode.Hello{Version: netcode.ProtocolVersion + 98}); return e.c }},
		{name: "input before hello", code: netcode.CloseNoHello, withError: true, reason: reasonNoHello,
			act: func(e env) *testClient { e.c.send(&netcode.Input{Seq: 1}); return e.c }},
		{name: "ping before hello", code: netcode.CloseNoHello, withError: true, reason: reasonNoHello,
			act: func(e env) *testClient { e.c.send(&netcode.Ping{ClientTime: 1}); return e.c }},
		{name: "hello timeout", code: netcode.CloseHelloTimeout, withError: true,
			act: func(e env) *testClient { return e.c }},
		{name: "input flood", hello: true, code: netcode.CloseRateLimited, withError: true,
			act: func(e env) *testClient {
				for seq := uint32(1); seq <= uint32(10*cfg.resolve().InputBurst); seq++ {
					if e.c.conn.Write(encode(e.t, &netcode.Input{Seq: seq})) != nil {
						break // closed on us: that is the point
					}
				}
				return e.c
			}},
		{name: "unknown session token", code: netcode.CloseResumeFailed, withError: true,
			act: func(e env) *testClient {
				e.c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Token: "bogus"})
				return e.c
			}},
		{name: "room full", code: netcode.CloseRoomFull, withError: true,
			act: func(e env) *testClient {
				filler := e.dial()
				filler.hello("filler", e.room, "")
				// The late hello comes from a connection of its own, dialled
				// now: e.c has waited since before the filler's join, and
				// under load that can be past the hello timeout.
				late := e.dial()
				late.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "late", Room: e.room})
				return late
			}},
		{name: "too many connections from one address", hello: true, code: netcode.CloseTooManyConns, withError: true,
			act: func(e env) *testClient {
				// The observer and the bad client hold two; fill up to the
				// limit with players, whom no hello timeout closes before the
				// last dial, then go one over.
				for i := range cfg.MaxConnsPerIP - 2 {
					e.dial().hello("filler", e.room+"-"+strconv.Itoa(i), "")
				}
				return e.dial()
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room := "bad-" + strconv.Itoa(i)
			closedCount := ts.m.connsClosed.WithLabelValues(strconv.Itoa(int(tt.code)))
			closedBefore := counterValue(t, closedCount)
			var reasonBefore float64
			if tt.reason != "" {
				reasonBefore = counterValue(t, ts.m.decodeErrors.WithLabelValues(tt.reason))
			}
			obs := dial(t, ts.addr)
			obs.hello("observer", room, "")
			// The bad client is dialled last, just before it acts: the hello
			// timeout (1 s) runs from its dial.
			c := dial(t, ts.addr)
			if tt.hello {
				c.hello("bad", room, "")
			}
			clients := []*testClient{obs, c}
			more := func() *testClient {
				cl := dial(t, ts.addr)
				clients = append(clients, cl)
				return cl
			}

			bad := tt.act(env{t: t, c: c, room: room, dial: more})
			bad.requireClose(tt.code, tt.withError)

			require.Eventually(t, func() bool { return counterValue(t, closedCount) > closedBefore }, waitFor, time.Millisecond,
				"connections closed with %d counted", tt.code)
			if tt.reason != "" {
				require.Greater(t, counterValue(t, ts.m.decodeErrors.WithLabelValues(tt.reason)), reasonBefore, "decode error counted")
			}
			for range 3 {
				_, err := obs.next(netcode.KindSnapshot)
				require.NoError(t, err, "the observer is still served")
			}

			// Leave nothing behind for the next case: no connection for its
			// per-IP count (the server counts one until it has seen it
			// close), and no room. The clients leave with a normal close, so
			// that their players leave at once instead of waiting out the
			// resume grace.
			for _, cl := range append(clients, bad) {
				require.NoError(t, cl.conn.Close())
			}
			require.Eventually(t, func() bool { return ts.ips.count("127.0.0.1") == 0 }, waitFor, time.Millisecond,
				fmt.Sprintf("connections left open: %d", ts.ips.count("127.0.0.1")))
			require.Eventually(t, func() bool { return len(ts.Rooms()) == 0 }, waitFor, time.Millisecond,
				"rooms left open: %v", ts.Rooms())
		})
	}
}
