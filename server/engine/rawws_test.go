package engine

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/require"
)

// rawWS is a WebSocket client written by hand on a TCP connection, for what
// a hostile client does and a library client will not: pings without
// reading, frames over the limit, a handshake from a chosen source address.
type rawWS struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

// dialRaw opens a TCP connection to addr from 127.0.0.1, or from src when
// it is not empty (any 127.0.0.0/8 address works on Linux loopback).
func dialRaw(t testing.TB, addr, src string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: waitFor}
	if src != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(src)}
	}
	nc, err := d.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// upgradeRaw does the handshake with extra headers; it returns the HTTP
// status and, on 101, the connection ready for frames.
func upgradeRaw(t testing.TB, addr string, header http.Header) (int, *rawWS) {
	t.Helper()
	nc := dialRaw(t, addr, "")
	var key [16]byte
	_, _ = rand.Read(key[:])
	var b strings.Builder
	fmt.Fprintf(&b, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", addr)
	fmt.Fprintf(&b, "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %x\r\n", key[:])
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	_, err := nc.Write([]byte(b.String()))
	require.NoError(t, err)
	br := bufio.NewReader(nc)
	require.NoError(t, nc.SetReadDeadline(time.Now().Add(waitFor)))
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	if resp.StatusCode != http.StatusSwitchingProtocols {
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}
	return resp.StatusCode, &rawWS{t: t, nc: nc, br: br}
}

func mustUpgradeRaw(t testing.TB, addr string) *rawWS {
	t.Helper()
	status, ws := upgradeRaw(t, addr, nil)
	require.Equal(t, http.StatusSwitchingProtocols, status)
	return ws
}

// frame builds one masked client frame.
func clientFrame(op gws.Opcode, payload []byte) []byte {
	b := []byte{0x80 | byte(op)}
	switch n := len(payload); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	mask := [4]byte{1, 2, 3, 4}
	b = append(b, mask[:]...)
	for i, c := range payload {
		b = append(b, c^mask[i%4])
	}
	return b
}

func (w *rawWS) write(op gws.Opcode, payload []byte) error {
	_, err := w.nc.Write(clientFrame(op, payload))
	return err
}

// readFrame reads one server frame (servers do not mask).
func (w *rawWS) readFrame() (gws.Opcode, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(w.br, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var l [2]byte
		if _, err := io.ReadFull(w.br, l[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		if _, err := io.ReadFull(w.br, l[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(l[:])
	}
	if n > 1<<22 {
		return 0, nil, errors.New("frame too large for a test")
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(w.br, p); err != nil {
		return 0, nil, err
	}
	return gws.Opcode(h[0] & 0x0f), p, nil
}

// closeFrame reads frames until the server's close frame and returns its
// code; an error if the connection ends (EOF, reset) without one.
func (w *rawWS) closeFrame() (uint16, error) {
	_ = w.nc.SetReadDeadline(time.Now().Add(waitFor))
	for {
		op, p, err := w.readFrame()
		if err != nil {
			return 0, err
		}
		if op == gws.OpcodeCloseConnection {
			if len(p) < 2 {
				return closeNoStatus, nil
			}
			return binary.BigEndian.Uint16(p), nil
		}
	}
}

// setRecvBuf shrinks a connection's kernel receive buffer.
func setRecvBuf(nc net.Conn, n int) error {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return errors.New("not TCP")
	}
	return tc.SetReadBuffer(n)
}

func bufioReader(nc net.Conn) *bufio.Reader { return bufio.NewReader(nc) }
