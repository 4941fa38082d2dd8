package link

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// fakeConn is the client end of an in-memory connection; the test plays the
// server through its channels.
type fakeConn struct {
	url  string      // where the client dialled
	sent chan []byte // what the client sent
	in   chan []byte // what the server sends
	mu   sync.Mutex
	err  error
	once sync.Once
}

func newFakeConn() *fakeConn {
	return &fakeConn{sent: make(chan []byte, 64), in: make(chan []byte, 64)}
}

func (c *fakeConn) Send(msg []byte) error {
	c.sent <- append([]byte(nil), msg...)
	return nil
}
func (c *fakeConn) Messages() <-chan []byte { return c.in }
func (c *fakeConn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}
func (c *fakeConn) Close() error { c.end(errors.New("closed by client")); return nil }

// end closes the connection from the server side with err.
func (c *fakeConn) end(err error) {
	c.once.Do(func() {
		c.mu.Lock()
		c.err = err
		c.mu.Unlock()
		close(c.in)
	})
}

type closeErr uint16

func (e closeErr) Error() string     { return "closed" }
func (e closeErr) CloseCode() uint16 { return uint16(e) }

type harness struct {
	t     *testing.T
	link  *Link
	dials chan *fakeConn
	fail  chan error // a value here makes the next dial fail
}

func start(t *testing.T, opts ...func(*Config)) *harness {
	h := &harness{t: t, dials: make(chan *fakeConn, 8), fail: make(chan error, 8)}
	dial := func(ctx context.Context, url string) (Conn, error) {
		select {
		case err := <-h.fail:
			return nil, err
		default:
		}
		c := newFakeConn()
		c.url = url
		h.dials <- c
		return c, nil
	}
	cfg := Config{
		URL: "ws://test/ws", Name: "ann", Room: "",
		Backoff: BackoffConfig{Base: time.Millisecond, Max: 4 * time.Millisecond},
	}
	for _, o := range opts {
		o(&cfg)
	}
	l, err := New(cfg, dial, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	h.link = l
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	return h
}

func (h *harness) event(kind EventKind) Event {
	h.t.Helper()
	select {
	case ev := <-h.link.Events():
		require.Equal(h.t, kind, ev.Kind, "event %+v", ev)
		return ev
	case <-time.After(5 * time.Second):
		require.FailNow(h.t, "no event", "wanted %v", kind)
	}
	return Event{}
}

// joined is a link that has dialled, said hello and been welcomed with
// token tok-1.
func joined(t *testing.T) (*harness, *fakeConn) {
	h := start(t)
	h.event(Dialing)
	c := h.conn()
	h.hello(c)
	h.welcome(c, "tok-1", false)
	h.event(Joined)
	return h, c
}

func (h *harness) conn() *fakeConn {
	h.t.Helper()
	select {
	case c := <-h.dials:
		return c
	case <-time.After(5 * time.Second):
		require.FailNow(h.t, "no dial")
	}
	return nil
}

func (h *harness) hello(c *fakeConn) netcode.Hello {
	h.t.Helper()
	select {
	case msg := <-c.sent:
		var hello netcode.Hello
		require.NoError(h.t, netcode.DecodeHello(msg, &hello))
		return hello
	case <-time.After(5 * time.Second):
		require.FailNow(h.t, "no hello")
	}
	return netcode.Hello{}
}

func (h *harness) welcome(c *fakeConn, token string, resumed bool) []byte {
	h.t.Helper()
	msg, err := netcode.Append(nil, &netcode.Welcome{
		Kind: netcode.KindWelcome, PlayerID: 7, Room: "r1", TickRate: 30, SnapshotRate: 30,
		ServerTick: 100, Token: token, WorldW: 4000, WorldH: 4000, Resumed: resumed,
	})
	require.NoError(h.t, err)
	c.in <- msg
	return msg
}

func (h *harness) refuse(c *fakeConn, code uint16, text string) {
	h.t.Helper()
	msg, err := netcode.Append(nil, &netcode.Error{Kind: netcode.KindError, Code: code, Text: text})
	require.NoError(h.t, err)
	c.in <- msg
	c.end(closeErr(code))
}

func TestJoinAndForward(t *testing.T) {
	h := start(t)
	h.event(Dialing)
	c := h.conn()
	hello := h.hello(c)
	assert.Equal(t, netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: "ann"}, hello)
	assert.ErrorIs(t, h.link.Send([]byte{1}), ErrNotConnected, "nothing to send on before the welcome")

	welcome := h.welcome(c, "tok-1", false)
	ev := h.event(Joined)
	assert.Equal(t, uint32(7), ev.Welcome.PlayerID)

	pong, err := netcode.Append(nil, &netcode.Pong{Kind: netcode.KindPong, ClientTime: 5, ServerTime: 9, ServerTick: 101})
	require.NoError(t, err)
	c.in <- pong
	ev = h.event(Message)
	assert.Equal(t, pong, ev.Data)
	assert.False(t, ev.At.IsZero(), "stamped on arrival")

	require.NoError(t, h.link.Send([]byte{1, 2, 3}))
	assert.Equal(t, []byte{1, 2, 3}, <-c.sent)
	helloBytes, err := netcode.Append(nil, &hello)
	require.NoError(t, err)
	in, out := h.link.Traffic()
	assert.Equal(t, uint64(len(welcome)+len(pong)), in)
	assert.Equal(t, uint64(len(helloBytes)+3), out)
}

func TestReconnectResumes(t *testing.T) {
	h, c := joined(t)

	c.end(errors.New("network down"))
	lost := h.event(Lost)
	assert.Equal(t, time.Millisecond, lost.Wait, "first retry after the base wait (jitter off)")
	assert.EqualError(t, lost.Err, "network down")
	assert.ErrorIs(t, h.link.Send([]byte{1}), ErrNotConnected)

	h.fail <- errors.New("connection refused")
	h.event(Dialing)
	lost = h.event(Lost)
	assert.Equal(t, 2, lost.Attempt)
	assert.Equal(t, 2*time.Millisecond, lost.Wait, "doubling")

	h.event(Dialing)
	c = h.conn()
	hello := h.hello(c)
	assert.Equal(t, "tok-1", hello.Token, "resume the same player")
	assert.Equal(t, "r1", hello.Room, "in the room the server put us in")
	h.welcome(c, "tok-1", true)
	assert.True(t, h.event(Joined).Welcome.Resumed)

	c.end(closeErr(netcode.CloseGoingAway))
	lost = h.event(Lost)
	assert.Equal(t, time.Millisecond, lost.Wait, "backoff starts over after a welcome")
}

func TestRefusedThenRejoin(t *testing.T) {
	h, c := joined(t)
	c.end(errors.New("network down"))
	h.event(Lost)
	h.event(Dialing)
	c = h.conn()
	assert.Equal(t, "tok-1", h.hello(c).Token)

	// A server updated to another protocol version: retrying cannot help.
	h.refuse(c, netcode.CloseProtocolError, "protocol version 2 required")
	ev := h.event(Rejected)
	var r *Refusal
	require.ErrorAs(t, ev.Err, &r)
	assert.Equal(t, &Refusal{Code: netcode.CloseProtocolError, Text: "protocol version 2 required"}, r)

	select {
	case <-h.dials:
		require.FailNow(t, "no retry without Rejoin")
	case <-time.After(20 * time.Millisecond): // longer than every backoff wait
	}
	h.link.Rejoin()
	h.event(Dialing)
	c = h.conn()
	assert.Empty(t, h.hello(c).Token, "a new player")
}

// After a restart (1001, a resume that cannot connect, then 4006 from the
// new server) the link joins a new player by itself, with no wait, under the
// same name and in the same room.
func TestRestartRejoins(t *testing.T) {
	h, c := joined(t)
	h.fail <- errors.New("connection refused") // the server is down for the first resume
	h.refuse(c, netcode.CloseGoingAway, "server shutting down")
	var r *Refusal
	require.ErrorAs(t, h.event(Lost).Err, &r)
	assert.Equal(t, netcode.CloseGoingAway, r.Code)
	h.event(Dialing)
	h.event(Lost)
	h.event(Dialing)
	c = h.conn()
	assert.Equal(t, "tok-1", h.hello(c).Token, "a resume first")

	h.refuse(c, netcode.CloseResumeFailed, "unknown or expired session token")
	ev := h.event(Rejoining) // not Lost: no backoff wait before the next dial
	require.ErrorAs(t, ev.Err, &r)
	assert.Equal(t, netcode.CloseResumeFailed, r.Code)
	assert.Equal(t, 1, h.event(Dialing).Attempt)
	c = h.conn()
	hello := h.hello(c)
	assert.Equal(t, netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: "ann", Room: "r1"}, hello,
		"a fresh hello: no token, the same name and room")
	h.welcome(c, "tok-2", false)
	assert.False(t, h.event(Joined).Welcome.Resumed)
}

func TestCloseCodeWithoutError(t *testing.T) {
	for _, tc := range []struct {
		name  string
		code  uint16
		final bool
	}{
		{"room full", netcode.CloseRoomFull, true},
		{"replaced", netcode.CloseReplaced, true},
		{"going away", netcode.CloseGoingAway, false},
		{"slow consumer", netcode.CloseSlowConsumer, false},
		{"rate limited", netcode.CloseRateLimited, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t)
			h.event(Dialing)
			c := h.conn()
			h.hello(c)
			c.end(closeErr(tc.code))
			if tc.final {
				ev := h.event(Rejected)
				var r *Refusal
				require.ErrorAs(t, ev.Err, &r)
				assert.Equal(t, tc.code, r.Code)
			} else {
				h.event(Lost)
			}
		})
	}
}

func TestSilentServerIsDropped(t *testing.T) {
	h := start(t, func(c *Config) { c.Silence = 10 * time.Millisecond })
	h.event(Dialing)
	c := h.conn()
	h.hello(c)
	h.welcome(c, "tok", false)
	h.event(Joined)
	lost := h.event(Lost)
	assert.ErrorIs(t, lost.Err, ErrSilent)
}

// Every Validate of the package (Config, BackoffConfig) in one table.
func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  interface{ Validate() error }
		ok   bool
	}{
		{"minimal", Config{URL: "ws://x/ws"}, true},
		{"no url", Config{}, false},
		{"long name", Config{URL: "ws://x/ws", Name: "abcdefghijklmnopq"}, false},
		{"room", Config{URL: "ws://x/ws", Room: "lobby_2-b"}, true},
		{"room outside the alphabet", Config{URL: "ws://x/ws", Room: "my room"}, false},
		{"bad backoff", Config{URL: "ws://x/ws", Backoff: BackoffConfig{Base: time.Second}}, false},
		{"backoff defaults", DefaultBackoffConfig(), true},
		{"backoff without jitter", BackoffConfig{Base: time.Second, Max: time.Second}, true},
		{"backoff with zero base", BackoffConfig{Max: time.Second}, false},
		{"backoff max below base", BackoffConfig{Base: 2 * time.Second, Max: time.Second}, false},
		{"backoff jitter above one", BackoffConfig{Base: time.Second, Max: time.Second, Jitter: 1.5}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrConfig)
			}
		})
	}
}
