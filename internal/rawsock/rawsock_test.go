package rawsock

import (
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pair is a connected loopback TCP pair: the writer's raw conn and the reader.
func pair(t *testing.T) (*net.TCPConn, syscall.RawConn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	w, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	r, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { w.Close(); r.Close() })
	raw, err := w.(*net.TCPConn).SyscallConn()
	require.NoError(t, err)
	return w.(*net.TCPConn), raw, r
}

// TestWriteNowTakesWhatFitsAndNeverWaits writes to a peer that reads
// nothing until the socket is full: each call returns at once with what
// was taken, and the reader then gets every byte taken, in order.
func TestWriteNowTakesWhatFitsAndNeverWaits(t *testing.T) {
	if !Supported {
		t.Skip("no writes that do not wait here")
	}
	w, raw, r := pair(t)
	require.NoError(t, w.SetWriteBuffer(16<<10))
	require.NoError(t, r.(*net.TCPConn).SetReadBuffer(16<<10))
	chunk := make([]byte, 8<<10)
	var sent []byte
	for i := 0; ; i++ {
		require.Less(t, i, 10000, "the socket never filled")
		for j := range chunk {
			chunk[j] = byte(i + j)
		}
		start := time.Now()
		n, err := WriteNow(raw, chunk)
		require.NoError(t, err)
		assert.Less(t, time.Since(start), time.Second, "a write that waited")
		sent = append(sent, chunk[:n]...)
		if n < len(chunk) {
			break // full: the rest was not taken
		}
	}
	got := make([]byte, len(sent))
	_, err := io.ReadFull(r, got)
	require.NoError(t, err)
	assert.Equal(t, sent, got, "every byte taken arrives, in order")
}

func TestWriteNowFailsOnAClosedPeer(t *testing.T) {
	if !Supported {
		t.Skip("no writes that do not wait here")
	}
	_, raw, r := pair(t)
	require.NoError(t, r.(*net.TCPConn).SetLinger(0)) // a reset, not a FIN
	require.NoError(t, r.Close())
	var err error
	for range 100 { // the reset may take a write to be noticed
		if _, err = WriteNow(raw, []byte("x")); err != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	assert.Error(t, err)
}
