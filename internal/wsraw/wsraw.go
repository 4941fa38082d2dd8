package wsraw

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
	"strings"
	"time"
)

// Opcode is a WebSocket frame opcode (RFC 6455, 5.2).
type Opcode byte

// The opcodes a raw client writes or reads.
const (
	OpText   Opcode = 0x1
	OpBinary Opcode = 0x2
	OpClose  Opcode = 0x8
	OpPing   Opcode = 0x9
	OpPong   Opcode = 0xa
)

// DefaultMaxPayload bounds a server frame ReadFrame takes into memory when
// Conn.MaxPayload is zero: a raw client is pointed at servers under test,
// and a length field is not a promise.
const DefaultMaxPayload = 1 << 20

var (
	// ErrRefused is returned by Upgrade when the server answers with
	// anything but 101; the status follows it in the message.
	ErrRefused = errors.New("wsraw: upgrade refused")
	// ErrFrameTooLarge is returned by ReadFrame for a frame over the limit.
	ErrFrameTooLarge = errors.New("wsraw: server frame too large")
)

// Dial opens a TCP connection to addr from the source address src (any
// 127.0.0.0/8 address works on Linux loopback, so a server sees distinct
// "IPs"); an empty src lets the kernel choose.
func Dial(ctx context.Context, addr, src string, timeout time.Duration) (*net.TCPConn, error) {
	d := net.Dialer{Timeout: timeout}
	if src != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
	}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("wsraw: dial: %w", err)
	}
	return c.(*net.TCPConn), nil
}

// Conn is an upgraded connection. The TCP connection is embedded so that a
// caller can write, reset or shrink buffers as it likes; frames are read
// through Conn because the handshake's reader may hold the first of them.
type Conn struct {
	*net.TCPConn
	br *bufio.Reader
	// MaxPayload bounds ReadFrame; zero is DefaultMaxPayload.
	MaxPayload uint64
}

// Upgrade performs the WebSocket handshake for path on c, with extra header
// lines, within timeout. It returns the HTTP status; any other than 101 is
// ErrRefused. On any error c is closed, so a caller has one thing to do on
// failure: report it.
func Upgrade(c *net.TCPConn, host, path string, header http.Header, timeout time.Duration) (*Conn, int, error) {
	key := make([]byte, 16)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", path, host)
	fmt.Fprintf(&b, "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n", base64.StdEncoding.EncodeToString(key))
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	_ = c.SetDeadline(time.Now().Add(timeout)) // a failure shows as the write's error
	if _, err := io.WriteString(c, b.String()); err != nil {
		c.Close()
		return nil, 0, fmt.Errorf("wsraw: handshake: %w", err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		c.Close()
		return nil, 0, fmt.Errorf("wsraw: handshake: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, resp.StatusCode, fmt.Errorf("%w: status %d", ErrRefused, resp.StatusCode)
	}
	_ = c.SetDeadline(time.Time{})
	return &Conn{TCPConn: c, br: br}, resp.StatusCode, nil
}

// AppendFrame appends one final, masked client frame. A zero key is allowed
// by the protocol and leaves the payload as it is, which is what a flood
// wants; another key exercises the server's unmasking.
func AppendFrame(dst []byte, op Opcode, key [4]byte, payload []byte) []byte {
	dst = append(dst, 0x80|byte(op))
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
	dst = append(dst, key[:]...)
	for i, c := range payload {
		dst = append(dst, c^key[i%4])
	}
	return dst
}

// ClosePayload is the payload of a close frame with code and no reason.
func ClosePayload(code uint16) []byte { return binary.BigEndian.AppendUint16(nil, code) }

// CloseCode reads the code of a close frame's payload; false when the frame
// carries none.
func CloseCode(payload []byte) (uint16, bool) {
	if len(payload) < 2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(payload), true
}

// ReadFrame reads one server frame (servers do not mask). It does not join
// fragments: a raw client looks at frames, not messages.
func (c *Conn) ReadFrame() (Opcode, []byte, error) {
	return readFrame(c.br, c.MaxPayload)
}

func readFrame(r io.Reader, limit uint64) (Opcode, []byte, error) {
	if limit == 0 {
		limit = DefaultMaxPayload
	}
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var ext [2]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(ext[:]))
	case 127:
		var ext [8]byte
		if _, err := io.ReadFull(r, ext[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(ext[:])
	}
	if n > limit {
		return 0, nil, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, n)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, err
	}
	return Opcode(h[0] & 0x0f), p, nil
}
