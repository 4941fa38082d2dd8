package engine

import (
	"encoding/binary"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordSocket records writes; its writes block while gate is held.
type recordSocket struct {
	gate   sync.Mutex
	mu     sync.Mutex
	frames [][]byte
	closed []uint16
	done   chan struct{}
}

func (s *recordSocket) WriteMessage(op gws.Opcode, p []byte) error {
	s.gate.Lock()
	defer s.gate.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if op == gws.OpcodeCloseConnection {
		s.closed = append(s.closed, binary.BigEndian.Uint16(p))
		close(s.done)
		return nil
	}
	s.frames = append(s.frames, append([]byte(nil), p...))
	return nil
}

func (s *recordSocket) SetWriteDeadline(time.Time) error { return nil }
func (s *recordSocket) NetConn() net.Conn                { return nil }

func TestOutboxBoundsAndOrder(t *testing.T) {
	sock := &recordSocket{done: make(chan struct{})}
	o := newOutbox(sock, 2*frameOverhead+10, newMetrics())
	sock.gate.Lock() // the writer blocks on its first frame, like a full socket

	require.True(t, o.send([]byte("aaaaaa")))
	require.True(t, o.send([]byte("bbbbbb")), "one frame may take the queue past its limit")
	assert.True(t, o.over())
	assert.False(t, o.send([]byte("c")), "over the limit: refused")

	o.close(4008, "slow", []byte("error"), true)
	assert.False(t, o.send([]byte("d")), "closing: refused")
	sock.gate.Unlock()
	select {
	case <-sock.done:
	case <-time.After(waitFor):
		t.Fatal("no close")
	}
	sock.mu.Lock()
	defer sock.mu.Unlock()
	assert.Equal(t, []uint16{4008}, sock.closed)
	// "aaaaaa" may have been taken by the writer before the close discarded
	// the queue; whatever was written, the Error message came last.
	require.NotEmpty(t, sock.frames)
	assert.Equal(t, "error", string(sock.frames[len(sock.frames)-1]))
	assert.NotContains(t, sock.frames, []byte("c"))
}
