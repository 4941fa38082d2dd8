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
	ts := startServer(t, cfg)

	type env struct {
		t    *testing.T
		c    *testClient // the bad client, dialled, not yet said hello
		room string      // the observer's room
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
				filler := dial(e.t, ts.addr)
				filler.hello("filler", e.room, "")
				e.t.Cleanup(filler.conn.Abort)
				e.c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "late", Room: e.room})
				return e.c
			}},
		{name: "too many connections from one address", code: netcode.CloseTooManyConns, withError: true,
			act: func(e env) *testClient {
				// The observer and the bad client hold two; fill up to the limit.
				var last *testClient
				for range cfg.MaxConnsPerIP - 1 {
					last = dial(e.t, ts.addr)
				}
				return last
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room := "bad-" + strconv.Itoa(i)
			obs := dial(t, ts.addr)
			obs.hello("observer", room, "")
			c := dial(t, ts.addr)
			if tt.hello {
				c.hello("bad", room, "")
			}
			closedCount := ts.m.connsClosed.WithLabelValues(strconv.Itoa(int(tt.code)))
			closedBefore := counterValue(t, closedCount)
			var reasonBefore float64
			if tt.reason != "" {
				reasonBefore = counterValue(t, ts.m.decodeErrors.WithLabelValues(tt.reason))
			}

			bad := tt.act(env{t: t, c: c, room: room})
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

			// Leave no connection behind for the next case's per-IP count.
			for _, cl := range []*testClient{obs, c, bad} {
				cl.conn.Abort()
			}
			if tt.code == netcode.CloseRoomFull || tt.code == netcode.CloseTooManyConns {
				return // more connections than these, closed by the test's cleanup
			}
			require.Eventually(t, func() bool { return ts.ips.count("127.0.0.1") == 0 }, waitFor, time.Millisecond,
				fmt.Sprintf("connections left open: %d", ts.ips.count("127.0.0.1")))
		})
	}
}
