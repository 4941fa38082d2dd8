package engine

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/internal/wsraw"
	"github.com/skirmish-game/skirmish/netcode"
)

// The attacks of issue 7, each as a regression test: a client that speaks
// valid WebSocket but means harm is bounded by counts, and everyone else
// keeps playing. Bounds, not timings.

// fromAddr makes a client look as if it came from ip through a trusted
// proxy (the test server trusts 127.0.0.1 when withProxy is used).
func fromAddr(ip string) dialOption {
	return func(o *transport.Options) { o.Header = http.Header{"X-Forwarded-For": {ip}} }
}

// trustLoopback makes the server believe X-Forwarded-For from 127.0.0.1, so
// tests can play several addresses.
func trustLoopback(cfg *Config) {
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

// serverConns lists the server's open connections.
func serverConns(s *Server) []*session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*session, 0, len(s.sessions))
	for c := range s.sessions {
		out = append(out, c)
	}
	return out
}

func limitHits(t testing.TB, s *Server, limit string) float64 {
	return counterValue(t, s.m.limitHits.WithLabelValues(limit))
}

func TestPingFloodQueuesOnePong(t *testing.T) {
	cfg := testConfig(t)
	cfg.InputRate, cfg.InputBurst = 1e6, 1e6 // the queue bound alone, not the rate limit
	ts := startServer(t, cfg)
	ws := mustUpgradeRaw(t, ts.addr)
	require.NoError(t, setRecvBuf(ws.nc, 4096)) // and never read: the server's socket backs up

	const pings = 20000
	batch := make([]byte, 0, 6*pings)
	for range pings {
		batch = append(batch, clientFrame(wsraw.OpPing, nil)...)
	}
	_, err := ws.nc.Write(batch)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return counterValue(t, ts.m.messagesIn) >= pings }, waitFor, time.Millisecond)

	conns := serverConns(ts.Server)
	require.Len(t, conns, 1)
	o := conns[0].out
	o.mu.Lock()
	defer o.mu.Unlock()
	assert.LessOrEqual(t, o.pending, 2*frameOverhead, "at most one empty pong being written and one waiting")
	assert.Empty(t, o.queue, "pongs never enter the frame queue")
}

func TestPingsCountAgainstTheRateLimit(t *testing.T) {
	cfg := testConfig(t)
	ts := startServer(t, cfg)
	honest := dial(t, ts.addr)
	honest.hello("honest", "ping-flood", "")

	ws := mustUpgradeRaw(t, ts.addr)
	var batch []byte
	for range 4 * cfg.resolve().InputBurst {
		batch = append(batch, clientFrame(wsraw.OpPing, nil)...)
	}
	_, err := ws.nc.Write(batch)
	require.NoError(t, err)
	code, err := ws.closeFrame()
	require.NoError(t, err)
	assert.Equal(t, netcode.CloseRateLimited, code)
	assert.Equal(t, 1.0, limitHits(t, ts.Server, limitMessageRate))

	_, err = honest.next(netcode.KindSnapshot)
	assert.NoError(t, err, "the honest client still gets snapshots")
}

func TestOutboxChargesEveryFrame(t *testing.T) {
	sock := &recordSocket{done: make(chan struct{})}
	const limit = 1024
	o := newOutbox(sock, limit, newMetrics())
	sock.gate.Lock() // the writer is stuck on its first frame
	defer sock.gate.Unlock()
	defer o.stop()

	n := 0
	for o.send(nil) {
		n++
		require.Less(t, n, 10*limit, "empty frames must not be free")
	}
	assert.LessOrEqual(t, n, limit/frameOverhead+2, "empty frames queued under a %d-byte limit", limit)
}

func TestNewerPongReplacesWaitingOne(t *testing.T) {
	sock := &recordSocket{done: make(chan struct{})}
	o := newOutbox(sock, 1<<16, newMetrics())
	sock.gate.Lock()
	require.True(t, o.send([]byte("snapshot"))) // the writer takes it and blocks
	require.Eventually(t, func() bool {
		o.mu.Lock()
		defer o.mu.Unlock()
		return len(o.queue) == 0
	}, waitFor, time.Millisecond)
	for i := range 100 {
		require.True(t, o.sendPong([]byte(fmt.Sprint("ping", i))))
	}
	o.close(netcode.CloseNormal, "", nil, false)
	sock.gate.Unlock()
	<-sock.done
	sock.mu.Lock()
	defer sock.mu.Unlock()
	require.Len(t, sock.frames, 2, "the snapshot and one pong")
	assert.Equal(t, "ping99", string(sock.frames[1]), "the newest ping's payload")
}

func TestRoomsPerAddress(t *testing.T) {
	cfg := testConfig(t)
	trustLoopback(&cfg)
	cfg.MaxRoomsPerIP, cfg.RoomRatePerIP = 3, 100
	ts := startServer(t, cfg)
	for i := range 3 {
		dial(t, ts.addr, fromAddr("203.0.113.7")).hello("squatter", fmt.Sprint("squat-", i), "")
	}
	c := dial(t, ts.addr, fromAddr("203.0.113.7"))
	c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "squatter", Room: "squat-3"})
	e := c.requireClose(netcode.CloseTooManyConns, true)
	assert.Contains(t, e.Text, "3 rooms open")
	assert.Equal(t, 1.0, limitHits(t, ts.Server, limitRoomsPerIP))

	// An existing room is still open to the same address, and another
	// address opens rooms as before.
	dial(t, ts.addr, fromAddr("203.0.113.7")).hello("squatter", "squat-0", "")
	dial(t, ts.addr, fromAddr("198.51.100.1")).hello("honest", "mine", "")
}

func TestRoomRatePerAddress(t *testing.T) {
	cfg := testConfig(t)
	trustLoopback(&cfg)
	cfg.MaxRoomsPerIP, cfg.RoomRatePerIP = 100, 4
	cfg.EmptyRoomTTL = 0 // rooms close as soon as their player leaves: only the rate holds them back
	ts := startServer(t, cfg)
	for i := range 4 {
		c := dial(t, ts.addr, fromAddr("203.0.113.7"))
		c.hello("churn", fmt.Sprint("churn-", i), "")
		require.NoError(t, c.conn.Close())
	}
	c := dial(t, ts.addr, fromAddr("203.0.113.7"))
	c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "churn", Room: "churn-9"})
	e := c.requireClose(netcode.CloseTooManyConns, true)
	assert.Contains(t, e.Text, "in the last minute")
	assert.Equal(t, 1.0, limitHits(t, ts.Server, limitRoomRatePerIP))
}

func TestSeatsPerAddressCountGraceSeats(t *testing.T) {
	cfg := testConfig(t)
	trustLoopback(&cfg)
	cfg.MaxSeatsPerIP = 3
	ts := startServer(t, cfg)

	// Ghosts: join and drop without a close frame, so each seat waits out
	// its resume grace.
	for range 3 {
		g := dial(t, ts.addr, fromAddr("203.0.113.7"))
		g.hello("ghost", "school", "")
		g.conn.Abort()
		<-g.conn.Done()
	}
	c := dial(t, ts.addr, fromAddr("203.0.113.7"))
	c.send(&netcode.Hello{Version: netcode.ProtocolVersion, Name: "ghost", Room: "school"})
	e := c.requireClose(netcode.CloseTooManyConns, true)
	assert.Contains(t, e.Text, "3 seats")
	assert.Equal(t, 1.0, limitHits(t, ts.Server, limitSeatsPerIP))

	// Others still get in; the address itself is sent to another public room.
	dial(t, ts.addr, fromAddr("198.51.100.1")).hello("honest", "school", "")
	for range 3 {
		dial(t, ts.addr, fromAddr("203.0.113.8")).hello("pub", "", "")
	}
	w := dial(t, ts.addr, fromAddr("203.0.113.8")).hello("pub", "", "")
	assert.Equal(t, "arena-2", w.Room, "a full share of arena-1 moves the address to a new public room")
}

func TestConnectRatePerAddress(t *testing.T) {
	cfg := testConfig(t)
	trustLoopback(&cfg)
	cfg.ConnRatePerIP, cfg.ConnBurstPerIP = 0.01, 3
	ts := startServer(t, cfg)
	h := http.Header{"X-Forwarded-For": {"203.0.113.7"}}
	for range 3 {
		status, _ := upgradeRaw(t, ts.addr, h)
		require.Equal(t, http.StatusSwitchingProtocols, status)
	}
	status, _ := upgradeRaw(t, ts.addr, h)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, 1.0, limitHits(t, ts.Server, limitConnRatePerIP))
	status, _ = upgradeRaw(t, ts.addr, http.Header{"X-Forwarded-For": {"198.51.100.1"}})
	assert.Equal(t, http.StatusSwitchingProtocols, status, "another address is not held back")
}

func TestIPBucketsForgetRefilledAddresses(t *testing.T) {
	b := newIPBuckets(10, 5) // refills in half a second
	now := time.Now()
	for i := range 1000 {
		require.True(t, b.allow(fmt.Sprint("10.0.", i/256, ".", i%256), now))
	}
	assert.Equal(t, 1000, b.size())
	assert.True(t, b.allow("10.9.9.9", now.Add(time.Second)), "a sweep runs")
	assert.Equal(t, 1, b.size(), "refilled buckets are forgotten")
	for range 5 {
		b.allow("10.9.9.9", now.Add(time.Second))
	}
	assert.False(t, b.allow("10.9.9.9", now.Add(time.Second)), "an empty bucket refuses")
}

func TestHalfSentRequestsAreCountedPerAddress(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxHTTPConnsPerIP = 3
	ts := startServer(t, cfg)
	for range 3 {
		nc := dialRaw(t, ts.addr, "127.0.0.1")
		_, err := nc.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")) // and never finish
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool {
		g := ts.gate.Load() // nil until Serve, on its own goroutine, has made it
		if g == nil {
			return false
		}
		_, h := g.counts()
		return h == 3
	}, waitFor, time.Millisecond)

	nc := dialRaw(t, ts.addr, "127.0.0.1")
	_ = nc.SetReadDeadline(time.Now().Add(waitFor))
	resp, err := http.ReadResponse(bufioReader(nc), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, 1.0, limitHits(t, ts.Server, limitHTTPConnsPerIP))

	// Another address is not held back, and WebSockets do not count as HTTP.
	other := dialRaw(t, ts.addr, "127.0.0.2")
	_, err = other.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
	require.NoError(t, err)
	resp, err = http.ReadResponse(bufioReader(other), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestConnectionCap(t *testing.T) {
	cfg := testConfig(t)
	cfg.MaxConns = 4
	ts := startServer(t, cfg)
	for range 4 {
		mustUpgradeRaw(t, ts.addr)
	}
	total, http0 := ts.gate.Load().counts()
	assert.Equal(t, 4, total)
	assert.Equal(t, 0, http0, "upgraded connections are WebSockets, not HTTP")

	nc := dialRaw(t, ts.addr, "")
	_ = nc.SetReadDeadline(time.Now().Add(waitFor))
	resp, err := http.ReadResponse(bufioReader(nc), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), "server full")
	assert.Equal(t, 1.0, limitHits(t, ts.Server, limitConns))
}

func TestHugeHeadersAreRefused(t *testing.T) {
	cfg := testConfig(t)
	ts := startServer(t, cfg)
	nc := dialRaw(t, ts.addr, "")
	go func() {
		_, _ = fmt.Fprintf(nc, "GET /ws HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 256<<10))
	}()
	_ = nc.SetReadDeadline(time.Now().Add(waitFor))
	resp, err := http.ReadResponse(bufioReader(nc), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
}

func TestCloseCodeLabelsAreBounded(t *testing.T) {
	ts := startServer(t, testConfig(t))
	series := func() int {
		rec := get(t, ts.Handler(), "/metrics", nil)
		return strings.Count(rec.Body.String(), "skirmish_connections_closed_total{")
	}
	before := series()
	for code := uint16(4100); code < 4150; code++ {
		c := dial(t, ts.addr)
		require.NoError(t, c.conn.CloseWith(code))
		<-c.conn.Done()
	}
	require.Eventually(t, func() bool {
		return counterValue(t, ts.m.connsClosed.WithLabelValues(closeCodeOther)) == 50
	}, waitFor, time.Millisecond)
	assert.Equal(t, before, series(), "no new series for codes a peer picked")
}

func TestOversizeFrameGetsItsCloseFrame(t *testing.T) {
	cfg := testConfig(t)
	ts := startServer(t, cfg)
	for i := range 20 {
		ws := mustUpgradeRaw(t, ts.addr)
		require.NoError(t, ws.write(wsraw.OpBinary, make([]byte, 5000)))
		code, err := ws.closeFrame()
		require.NoError(t, err, "try %d: the close frame, not a reset", i)
		assert.Equal(t, netcode.CloseTooBig, code)
	}
}

func TestUnreadableNamesAreRefused(t *testing.T) {
	ts := startServer(t, testConfig(t))
	for _, tt := range []struct{ name, hello, rule string }{
		{"bidi override", "ann\u202egnp.exe", "format character"},
		{"zero width space", "a\u200bb", "format character"},
		{"control", "a\x07b", "control character"},
		{"private use", "a\ue000", "private-use"},
		{"unassigned", "a\U000e0fff", "unassigned"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, ts.addr)
			var buf bytes.Buffer
			enc := msgpack.NewEncoder(&buf)
			enc.UseCompactInts(true)
			require.NoError(t, enc.Encode(&helloRaw{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: tt.hello}))
			c.sendRaw(buf.Bytes())
			e := c.requireClose(netcode.CloseInvalidValue, true)
			assert.Contains(t, e.Text, tt.rule)
		})
	}
	dial(t, ts.addr).hello("Zoë 李", "", "") // letters of any script are fine
}

// helloRaw is a hello that skips netcode's validation on the way out.
type helloRaw struct {
	_msgpack struct{} `msgpack:",as_array"`
	Kind     netcode.Kind
	Version  uint16
	Name     string
	Room     string
	Token    string
	Ticket   string
}

func TestOrigins(t *testing.T) {
	cfg := testConfig(t)
	cfg.AllowedOrigins = []string{"https://play.example.com"}
	ts := startServer(t, cfg)
	for _, tt := range []struct {
		name, origin string
		status       int
	}{
		{"native client, no origin", "", http.StatusSwitchingProtocols},
		{"the served page", "http://" + ts.addr, http.StatusSwitchingProtocols},
		{"listed", "https://play.example.com", http.StatusSwitchingProtocols},
		{"another site", "https://evil.example", http.StatusForbidden},
		{"null origin", "null", http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			status, _ := upgradeRaw(t, ts.addr, h)
			assert.Equal(t, tt.status, status)
		})
	}
	assert.Equal(t, 2.0, limitHits(t, ts.Server, limitOrigin))
}

func TestClientIP(t *testing.T) {
	p := proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	for _, tt := range []struct {
		name, remote string
		header       http.Header
		want         string
	}{
		{"no proxy", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"untrusted peer's header is ignored", "203.0.113.7:5000", http.Header{"X-Forwarded-For": {"1.2.3.4"}}, "203.0.113.7"},
		{"trusted peer", "10.0.0.1:5000", http.Header{"X-Forwarded-For": {"198.51.100.9"}}, "198.51.100.9"},
		{"spoofed left entry skipped", "10.0.0.1:5000", http.Header{"X-Forwarded-For": {"1.2.3.4, 198.51.100.9, 10.0.0.2"}}, "198.51.100.9"},
		{"two header lines", "10.0.0.1:5000", http.Header{"X-Forwarded-For": {"1.2.3.4", "198.51.100.9"}}, "198.51.100.9"},
		{"garbage hop", "10.0.0.1:5000", http.Header{"X-Forwarded-For": {"1.2.3.4, junk"}}, "10.0.0.1"},
		{"only proxies", "10.0.0.1:5000", http.Header{"X-Forwarded-For": {"10.0.0.3"}}, "10.0.0.1"},
		{"Forwarded", "[::1]:5000", http.Header{"Forwarded": {`for=192.0.2.60;proto=https, for="[2001:db8::7]:4711"`}}, "2001:db8::7"},
		{"trusted peer without header", "10.0.0.1:5000", nil, "10.0.0.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: tt.remote, Header: tt.header}
			if r.Header == nil {
				r.Header = http.Header{}
			}
			assert.Equal(t, tt.want, p.clientIP(r))
		})
	}
}

func TestFloodPastTheCloseIsDropped(t *testing.T) {
	ts := startServer(t, testConfig(t))
	ws := mustUpgradeRaw(t, ts.addr)
	var batch []byte
	for range 20 * maxLateFrames {
		batch = append(batch, clientFrame(wsraw.OpPing, nil)...)
	}
	_, _ = ws.nc.Write(batch) // may fail part way: the server cuts the socket
	require.Eventually(t, func() bool { return counterValue(t, ts.m.lateDrops) == 1 }, waitFor, time.Millisecond)
	require.Eventually(t, func() bool { total, _ := ts.gate.Load().counts(); return total == 0 }, waitFor, time.Millisecond,
		"the connection is gone after a bounded drain, not after the close linger")
}

// FuzzClientIP: whatever a client puts in X-Forwarded-For or Forwarded, the
// address limits count it under is the peer or an address parsed from a hop,
// and never one left of an untrusted hop.
func FuzzClientIP(f *testing.F) {
	f.Add("1.2.3.4, 198.51.100.9", `for=192.0.2.60;proto=https, for="[2001:db8::7]:4711"`)
	f.Add("", "for=unknown")
	f.Add("junk,,,", `for="[::1"`)
	p := proxies{netip.MustParsePrefix("10.0.0.0/8")}
	f.Fuzz(func(t *testing.T, xff, fwd string) {
		h := http.Header{}
		if xff != "" {
			h.Set("X-Forwarded-For", xff)
		}
		h.Set("Forwarded", fwd)
		got := p.clientIP(&http.Request{RemoteAddr: "10.0.0.1:5000", Header: h})
		if got == "10.0.0.1" {
			return
		}
		a, err := netip.ParseAddr(got)
		if err != nil || p.trusted(a) {
			t.Fatalf("client %q from xff %q forwarded %q", got, xff, fwd)
		}
		for _, hop := range forwardedFor(h) {
			if ha, err := netip.ParseAddr(hop); err == nil && ha.Unmap() == a {
				return
			}
		}
		t.Fatalf("client %q is none of the forwarded hops", got)
	})
}
