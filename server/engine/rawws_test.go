package engine

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/internal/wsraw"
	"github.com/skirmish-game/skirmish/netcode"
)

// rawWS is a WebSocket client written by hand (internal/wsraw), for what a
// hostile client does and a library client will not: pings without
// reading, frames over the limit, a handshake from a chosen source address.
type rawWS struct {
	nc *wsraw.Conn
}

// rawMask is the client frames' mask key: not zero, so the server's
// unmasking is exercised too.
var rawMask = [4]byte{1, 2, 3, 4}

// dialRaw opens a TCP connection to addr from 127.0.0.1, or from src when
// it is not empty (any 127.0.0.0/8 address works on Linux loopback).
func dialRaw(t testing.TB, addr, src string) *net.TCPConn {
	t.Helper()
	nc, err := wsraw.Dial(context.Background(), addr, src, waitFor)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	return nc
}

// upgradeRaw does the handshake with extra headers; it returns the HTTP
// status and, on 101, the connection ready for frames.
func upgradeRaw(t testing.TB, addr string, header http.Header) (int, *rawWS) {
	t.Helper()
	nc, status, err := wsraw.Upgrade(dialRaw(t, addr, ""), addr, "/ws", header, waitFor)
	if errors.Is(err, wsraw.ErrRefused) {
		return status, nil
	}
	require.NoError(t, err)
	nc.MaxPayload = 1 << 22
	return status, &rawWS{nc: nc}
}

func mustUpgradeRaw(t testing.TB, addr string) *rawWS {
	t.Helper()
	status, ws := upgradeRaw(t, addr, nil)
	require.Equal(t, http.StatusSwitchingProtocols, status)
	return ws
}

// clientFrame builds one masked client frame.
func clientFrame(op wsraw.Opcode, payload []byte) []byte {
	return wsraw.AppendFrame(nil, op, rawMask, payload)
}

func (w *rawWS) write(op wsraw.Opcode, payload []byte) error {
	_, err := w.nc.Write(clientFrame(op, payload))
	return err
}

// closeFrame reads frames until the server's close frame and returns its
// code; an error if the connection ends (EOF, reset) without one.
func (w *rawWS) closeFrame() (uint16, error) {
	_ = w.nc.SetReadDeadline(time.Now().Add(waitFor))
	for {
		op, p, err := w.nc.ReadFrame()
		if err != nil {
			return 0, err
		}
		if op == wsraw.OpClose {
			if code, ok := wsraw.CloseCode(p); ok {
				return code, nil
			}
			return netcode.CloseNoStatus, nil
		}
	}
}

// setRecvBuf shrinks a connection's kernel receive buffer.
func setRecvBuf(nc interface{ SetReadBuffer(int) error }, n int) error {
	return nc.SetReadBuffer(n)
}

func bufioReader(nc net.Conn) *bufio.Reader { return bufio.NewReader(nc) }
