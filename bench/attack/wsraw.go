package attack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/skirmish-game/skirmish/bench/loopback"
	"github.com/skirmish-game/skirmish/internal/wsraw"
	"github.com/skirmish-game/skirmish/netcode"
)

// Timeouts of the raw client. An attack never waits longer than these on
// one step, so a row that meets a server that has stopped answering still
// ends on time.
const (
	dialTimeout = 5 * time.Second
	readTimeout = 3 * time.Second
)

// noMask is the attack's frame mask key: zero leaves the payload as it is,
// so a flood costs the attacker nothing to build.
var noMask [4]byte

// errRefused is the raw client's refusal; classify names it by its status.
var errRefused = wsraw.ErrRefused

// dialer connects from one loopback source address to one loopback server.
// It is the only way the package opens a connection, so the loopback rule
// is checked here once.
type dialer struct {
	host string // server host:port
	src  string // source address, so the server sees a distinct "IP"
}

func newDialer(host, src string) (dialer, error) {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		return dialer{}, fmt.Errorf("attack: target %q: %w", host, err)
	}
	if err := loopback.CheckHost(h); err != nil {
		return dialer{}, err
	}
	if err := loopback.CheckHost(src); err != nil {
		return dialer{}, err
	}
	return dialer{host: host, src: src}, nil
}

// tcp opens a plain TCP connection.
func (d dialer) tcp(ctx context.Context) (*net.TCPConn, error) {
	return wsraw.Dial(ctx, d.host, d.src, dialTimeout)
}

// httpClient is an HTTP client whose connections come from d's source.
func (d dialer) httpClient() *http.Client {
	return &http.Client{
		Timeout: readTimeout,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) { return d.tcp(ctx) },
		},
		// A redirect is an answer worth reporting, not following.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// wsConn is a WebSocket client connection driven byte by byte, so an attack
// can do what a well-behaved library would not: never read, flood control
// frames, reset the connection.
type wsConn struct {
	c *wsraw.Conn
}

// upgrade dials and performs the WebSocket handshake. A refusal returns the
// HTTP status and errRefused.
func (d dialer) upgrade(ctx context.Context) (*wsConn, int, error) {
	c, err := d.tcp(ctx)
	if err != nil {
		return nil, 0, err
	}
	ws, status, err := wsraw.Upgrade(c, d.host, wsPath, nil, dialTimeout)
	if err != nil {
		return nil, status, err // already "wsraw: ...", which classify reads
	}
	return &wsConn{c: ws}, status, nil
}

// appendFrame appends one client frame under the attack's zero mask.
func appendFrame(dst []byte, op wsraw.Opcode, payload []byte) []byte {
	return wsraw.AppendFrame(dst, op, noMask, payload)
}

func (w *wsConn) write(b []byte, timeout time.Duration) error {
	_ = w.c.SetWriteDeadline(time.Now().Add(timeout)) // a failure shows as the write's error
	_, err := w.c.Write(b)
	return err
}

// hello sends a hello for room (empty: the server picks).
func (w *wsConn) hello(name, room string) error {
	msg, err := netcode.Append(nil, &netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: name, Room: room})
	if err != nil {
		return err
	}
	return w.write(appendFrame(nil, wsraw.OpBinary, msg), readTimeout)
}

// await reads frames until a welcome, a close or an error, and names the
// outcome: "welcome", "close 4009", "reset", "eof", "timeout"...
func (w *wsConn) await(timeout time.Duration, stopAtWelcome bool) string {
	_ = w.c.SetReadDeadline(time.Now().Add(timeout))
	defer w.c.SetReadDeadline(time.Time{})
	for {
		op, p, err := w.c.ReadFrame()
		if err != nil {
			return classify(err)
		}
		switch {
		case op == wsraw.OpClose:
			return closeOutcome(p)
		case op == wsraw.OpBinary && stopAtWelcome:
			if k, err := netcode.PeekKind(p); err == nil && k == netcode.KindWelcome {
				return "welcome"
			}
		}
	}
}

func closeOutcome(p []byte) string {
	code, ok := wsraw.CloseCode(p)
	if !ok {
		return "close (no code)"
	}
	return fmt.Sprintf("close %d", code)
}

// leave closes normally: a close frame, then the TCP connection.
func (w *wsConn) leave() {
	_ = w.write(appendFrame(nil, wsraw.OpClose, wsraw.ClosePayload(netcode.CloseNormal)), time.Second) // the close below ends it either way
	w.c.Close()
}

// reset ends the connection with a TCP RST, as a crashed client would.
func (w *wsConn) reset() {
	_ = w.c.SetLinger(0) // then Close sends RST
	w.c.Close()
}

// classify names a read or write error for a tally.
func classify(err error) string {
	var ne net.Error
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, errRefused):
		return strings.TrimPrefix(err.Error(), errRefused.Error()+": ")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "eof"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, syscall.EPIPE):
		return "broken pipe"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	default:
		return "error"
	}
}

// tally counts outcomes by name; safe for concurrent use.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

func (t *tally) add(k string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == nil {
		t.n = map[string]int{}
	}
	t.n[k]++
}

func (t *tally) get(k string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n[k]
}

// String lists the outcomes, most frequent first: "welcome 250, close 4009 5".
func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return formatCounts(t.n)
}

func formatCounts(n map[string]int) string {
	if len(n) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if n[keys[i]] != n[keys[j]] {
			return n[keys[i]] > n[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, n[k])
	}
	return strings.Join(parts, ", ")
}
