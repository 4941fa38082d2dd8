package attack

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
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

	"github.com/skirmish-game/skirmish/netcode"
)

// Timeouts of the raw client. An attack never waits longer than these on
// one step, so a row that meets a server that has stopped answering still
// ends on time.
const (
	dialTimeout = 5 * time.Second
	readTimeout = 3 * time.Second
	// maxReadPayload bounds a server frame the raw client reads into memory.
	maxReadPayload = 1 << 20
)

// WebSocket opcodes the raw client writes or reads.
const (
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
)

var errRefused = errors.New("attack: upgrade refused")

// dialer connects from one loopback source address to one loopback server.
// It is the only way the package opens a connection, so the loopback rule
// is checked here once.
type dialer struct {
	host string // server host:port
	src  net.IP // source address, so the server sees a distinct "IP"
}

func newDialer(host, src string) (dialer, error) {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		return dialer{}, fmt.Errorf("attack: target %q: %w", host, err)
	}
	if err := CheckLoopbackHost(h); err != nil {
		return dialer{}, err
	}
	if err := CheckLoopbackHost(src); err != nil {
		return dialer{}, err
	}
	return dialer{host: host, src: net.ParseIP(src)}, nil
}

// tcp opens a plain TCP connection.
func (d dialer) tcp(ctx context.Context) (*net.TCPConn, error) {
	nd := net.Dialer{Timeout: dialTimeout, LocalAddr: &net.TCPAddr{IP: d.src}}
	c, err := nd.DialContext(ctx, "tcp", d.host)
	if err != nil {
		return nil, fmt.Errorf("attack: dial: %w", err)
	}
	return c.(*net.TCPConn), nil
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
	c  *net.TCPConn
	br *bufio.Reader
}

// upgrade dials and performs the WebSocket handshake. A refusal returns the
// HTTP status and errRefused.
func (d dialer) upgrade(ctx context.Context) (*wsConn, int, error) {
	c, err := d.tcp(ctx)
	if err != nil {
		return nil, 0, err
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	req := "GET " + wsPath + " HTTP/1.1\r\nHost: " + d.host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + base64.StdEncoding.EncodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	_ = c.SetDeadline(time.Now().Add(dialTimeout)) // a failure shows as the write's error
	if _, err := io.WriteString(c, req); err != nil {
		c.Close()
		return nil, 0, fmt.Errorf("attack: handshake: %w", err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		c.Close()
		return nil, 0, fmt.Errorf("attack: handshake: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, resp.StatusCode, fmt.Errorf("%w: status %d", errRefused, resp.StatusCode)
	}
	_ = c.SetDeadline(time.Time{})
	return &wsConn{c: c, br: br}, resp.StatusCode, nil
}

// appendFrame appends one masked client frame. The mask key is zero, which
// the protocol allows and which leaves the payload as it is.
func appendFrame(dst []byte, op byte, payload []byte) []byte {
	dst = append(dst, 0x80|op)
	switch n := len(payload); {
	case n < 126:
		dst = append(dst, 0x80|byte(n))
	case n <= 0xffff:
		dst = append(dst, 0x80|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(n))
	default:
		dst = append(dst, 0x80|127)
		dst = binary.BigEndian.AppendUint64(dst, uint64(n))
	}
	dst = append(dst, 0, 0, 0, 0)
	return append(dst, payload...)
}

func closePayload(code uint16) []byte { return binary.BigEndian.AppendUint16(nil, code) }

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
	return w.write(appendFrame(nil, opBinary, msg), readTimeout)
}

// readFrame reads one server frame (servers do not mask).
func (w *wsConn) readFrame() (op byte, payload []byte, err error) {
	var h [2]byte
	if _, err := io.ReadFull(w.br, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(w.br, ext[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(w.br, ext[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > maxReadPayload {
		return 0, nil, fmt.Errorf("attack: server frame of %d bytes", n)
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(w.br, payload); err != nil {
		return 0, nil, err
	}
	return h[0] & 0x0f, payload, nil
}

// await reads frames until a welcome, a close or an error, and names the
// outcome: "welcome", "close 4009", "reset", "eof", "timeout"...
func (w *wsConn) await(timeout time.Duration, stopAtWelcome bool) string {
	_ = w.c.SetReadDeadline(time.Now().Add(timeout))
	defer w.c.SetReadDeadline(time.Time{})
	for {
		op, p, err := w.readFrame()
		if err != nil {
			return classify(err)
		}
		switch {
		case op == opClose:
			return closeOutcome(p)
		case op == opBinary && stopAtWelcome:
			if k, err := netcode.PeekKind(p); err == nil && k == netcode.KindWelcome {
				return "welcome"
			}
		}
	}
}

func closeOutcome(p []byte) string {
	if len(p) < 2 {
		return "close (no code)"
	}
	return fmt.Sprintf("close %d", binary.BigEndian.Uint16(p))
}

// leave closes normally: a close frame, then the TCP connection.
func (w *wsConn) leave() {
	_ = w.write(appendFrame(nil, opClose, closePayload(netcode.CloseNormal)), time.Second) // the close below ends it either way
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
