package wsraw

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const waitFor = 5 * time.Second

// echo is a gws server handler that sends every message back, so a frame
// the raw client writes is checked by a real WebSocket implementation.
type echo struct{ gws.BuiltinEventHandler }

func (echo) OnMessage(c *gws.Conn, m *gws.Message) {
	defer m.Close()
	_ = c.WriteMessage(m.Opcode, m.Bytes())
}

func serve(t *testing.T) string {
	t.Helper()
	up := gws.NewUpgrader(echo{}, nil)
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r)
		if err != nil {
			return
		}
		go c.ReadLoop()
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.Listener.Addr().String()
}

func upgrade(t *testing.T, addr, path string) (*Conn, int, error) {
	t.Helper()
	c, err := Dial(context.Background(), addr, "127.0.0.1", waitFor)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return Upgrade(c, addr, path, http.Header{"X-Test": {"1"}}, waitFor)
}

func TestEchoThroughRealServer(t *testing.T) {
	addr := serve(t)
	ws, status, err := upgrade(t, addr, "/ws")
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, status)
	ws.MaxPayload = 1 << 17

	cases := []struct {
		name string
		key  [4]byte
		size int
	}{
		{"empty, zero key", [4]byte{}, 0},
		{"short, zero key", [4]byte{}, 125},
		{"16-bit length, masked", [4]byte{1, 2, 3, 4}, 126},
		{"largest 16-bit length", [4]byte{9, 8, 7, 6}, 0xffff},
		{"64-bit length", [4]byte{0xff, 0, 0xff, 0}, 0x10000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			payload := bytes.Repeat([]byte{0x5a}, tc.size)
			_, err := ws.Write(AppendFrame(nil, OpBinary, tc.key, payload))
			require.NoError(t, err)
			require.NoError(t, ws.SetReadDeadline(time.Now().Add(waitFor)))
			op, got, err := ws.ReadFrame()
			require.NoError(t, err)
			assert.Equal(t, OpBinary, op)
			assert.Equal(t, payload, got)
		})
	}

	t.Run("close code is echoed", func(t *testing.T) {
		_, err := ws.Write(AppendFrame(nil, OpClose, [4]byte{1, 2, 3, 4}, ClosePayload(4321)))
		require.NoError(t, err)
		require.NoError(t, ws.SetReadDeadline(time.Now().Add(waitFor)))
		op, p, err := ws.ReadFrame()
		require.NoError(t, err)
		require.Equal(t, OpClose, op)
		code, ok := CloseCode(p)
		assert.True(t, ok)
		assert.Equal(t, uint16(4321), code)
	})
}

func TestUpgradeRefused(t *testing.T) {
	addr := serve(t)
	ws, status, err := upgrade(t, addr, "/nowhere")
	require.ErrorIs(t, err, ErrRefused)
	assert.Nil(t, ws)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, err.Error(), "status 404")
}

func TestReadFrameLimit(t *testing.T) {
	frame := func(n uint64) []byte {
		b := []byte{0x82, 127}
		b = binary.BigEndian.AppendUint64(b, n)
		return append(b, make([]byte, min(n, 64))...)
	}
	cases := []struct {
		name    string
		limit   uint64
		size    uint64
		wantErr bool
	}{
		{"at the limit", 64, 64, false},
		{"over the limit", 63, 64, true},
		{"over the default", 0, DefaultMaxPayload + 1, true},
		{"a length no server sends", 0, 1 << 63, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			op, p, err := readFrame(bytes.NewReader(frame(tc.size)), tc.limit)
			if tc.wantErr {
				require.ErrorIs(t, err, ErrFrameTooLarge)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, OpBinary, op)
			assert.Len(t, p, int(tc.size))
		})
	}
}

func TestCloseCodeWithoutCode(t *testing.T) {
	_, ok := CloseCode(nil)
	assert.False(t, ok)
}

func TestDialFromSource(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		defer c.Close()
		h, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		got <- h
	}()
	c, err := Dial(context.Background(), ln.Addr().String(), "127.0.0.2", waitFor)
	require.NoError(t, err)
	defer c.Close()
	select {
	case h := <-got:
		assert.Equal(t, "127.0.0.2", h)
	case <-time.After(waitFor):
		t.Fatal("no connection accepted")
	}
}
