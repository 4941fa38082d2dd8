package engine

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countConn counts the Writes that reach the TCP connection, each one a
// write syscall (or more, for a partial write).
type countConn struct {
	net.Conn
	writes atomic.Int64
}

func (c *countConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// SyscallConn counts the writes that do not wait too (see writeNow).
func (c *countConn) SyscallConn() (syscall.RawConn, error) {
	raw, err := c.Conn.(syscall.Conn).SyscallConn()
	return countRaw{raw, &c.writes}, err
}

type countRaw struct {
	syscall.RawConn
	writes *atomic.Int64
}

func (r countRaw) Write(f func(fd uintptr) bool) error {
	r.writes.Add(1)
	return r.RawConn.Write(f)
}

type countListener struct {
	net.Listener
	conns chan *countConn
}

func (l countListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	cc := &countConn{Conn: c}
	l.conns <- cc
	return cc, nil
}

// clientFrames is a gws client that hands on every frame it reads.
type clientFrames struct {
	gws.BuiltinEventHandler
	frames chan []byte
}

func (h *clientFrames) OnPong(_ *gws.Conn, p []byte) {
	h.frames <- append([]byte("pong:"), p...)
}

func (h *clientFrames) OnMessage(_ *gws.Conn, m *gws.Message) {
	defer m.Close()
	h.frames <- bytes.Clone(m.Bytes())
}

// wirePair is a real gws server connection over TCP on 127.0.0.1, upgraded
// the way Server upgrades (through batchHijacker when batched), whose writes
// to the socket are counted, and a gws client reading it.
type wirePair struct {
	ws     *gws.Conn
	tcp    *countConn
	frames chan []byte
}

func newWirePair(tb testing.TB, batched bool) *wirePair {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	cl := countListener{Listener: ln, conns: make(chan *countConn, 1)}
	up := gws.NewUpgrader(&gws.BuiltinEventHandler{}, &gws.ServerOption{})
	opened := make(chan *gws.Conn, 1)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if batched {
			w = batchHijacker{w, newBatchPool()}
		}
		ws, err := up.Upgrade(w, r)
		if err != nil {
			return
		}
		opened <- ws
		go ws.ReadLoop()
	})}
	go func() { _ = hs.Serve(cl) }() // ends with hs.Close
	h := &clientFrames{frames: make(chan []byte, 64)}
	client, _, err := gws.NewClient(h, &gws.ClientOption{Addr: "ws://" + ln.Addr().String() + "/ws"})
	require.NoError(tb, err)
	go client.ReadLoop()
	p := &wirePair{frames: h.frames}
	select {
	case p.ws = <-opened:
	case <-time.After(waitFor):
		tb.Fatal("no upgrade")
	}
	p.tcp = <-cl.conns
	tb.Cleanup(func() {
		_ = client.NetConn().Close()
		_ = p.ws.NetConn().Close()
		_ = hs.Close()
	})
	return p
}

func (p *wirePair) next(tb testing.TB) []byte {
	tb.Helper()
	select {
	case f := <-p.frames:
		return f
	case <-time.After(waitFor):
		tb.Fatal("no frame")
		return nil
	}
}

func TestOutboxWritesATickInOneWrite(t *testing.T) {
	p := newWirePair(t, true)
	o := newOutbox(p.ws, 1<<16, newMetrics())
	t.Cleanup(o.stop)
	require.NotNil(t, o.batch, "the server's connections can batch")
	require.True(t, o.now, "and write without waiting")
	snapshot := bytes.Repeat([]byte("s"), 2800) // more than gws's 16-byte padding, less than a segment
	board := []byte("board")
	before := p.tcp.writes.Load() // the upgrade's response
	require.True(t, o.stage(gws.OpcodeBinary, snapshot))
	require.True(t, o.stage(gws.OpcodeBinary, board))
	assert.Equal(t, int64(0), p.tcp.writes.Load()-before, "staged frames wait for a flush")
	require.True(t, o.sendPong([]byte("p1")))
	assert.Equal(t, int64(1), p.tcp.writes.Load()-before, "pong, snapshot and board in one write, by the caller")
	assert.False(t, o.running, "no writer goroutine for a socket that took it all")

	assert.Equal(t, []byte("pong:p1"), p.next(t), "the pong goes ahead of the queue")
	assert.Equal(t, snapshot, p.next(t))
	assert.Equal(t, board, p.next(t))

	require.True(t, o.send([]byte("alone")))
	assert.Equal(t, []byte("alone"), p.next(t))
	assert.Equal(t, int64(2), p.tcp.writes.Load()-before, "a frame on its own is one write")
}

// TestOutboxWriterTakesOverAFullSocket fills a client's socket (the client
// stops reading once 64 frames wait in its channel): the writes that do not
// wait leave the rest unsent, the writer goroutine takes over and producers
// queue behind it until over() says the client does not keep up; once the
// client reads again, every frame accepted arrives whole and in order, and
// the goroutine ends.
func TestOutboxWriterTakesOverAFullSocket(t *testing.T) {
	p := newWirePair(t, true)
	o := newOutbox(p.ws, 256<<10, newMetrics())
	t.Cleanup(o.stop)
	require.True(t, o.now)
	frame := func(i int) []byte { return append(bytes.Repeat([]byte{byte(i)}, 8<<10), fmt.Sprint(i)...) }
	sent := 0
	for !o.over() {
		require.True(t, o.send(frame(sent)))
		sent++
		require.Less(t, sent, 10000, "the socket never filled")
	}
	o.mu.Lock()
	running, unsent := o.running, o.unsent
	o.mu.Unlock()
	assert.True(t, running, "a full socket is the writer goroutine's")
	assert.Positive(t, unsent, "what the socket did not take is charged to the queue")
	assert.False(t, o.send(frame(sent)), "over the limit: refused")
	for i := range sent {
		require.Equal(t, frame(i), p.next(t), "frame %d of %d", i, sent)
	}
	require.Eventually(t, func() bool {
		o.mu.Lock()
		defer o.mu.Unlock()
		return !o.running && !o.busy && o.pending == 0
	}, waitFor, time.Millisecond, "the writer goroutine ends once the queue is written")
	require.True(t, o.send([]byte("after")))
	assert.Equal(t, []byte("after"), p.next(t), "and the caller writes again")
}

func TestOutboxStageWaitsForFlush(t *testing.T) {
	sock := &recordSocket{done: make(chan struct{})}
	o := newOutbox(sock, 1<<16, newMetrics())
	t.Cleanup(o.stop)
	require.False(t, o.now, "a socket that may block is written by the writer goroutine")
	require.True(t, o.stage(gws.OpcodeBinary, []byte("snapshot")))
	require.True(t, o.stage(gws.OpcodeBinary, []byte("board")))
	o.mu.Lock()
	assert.False(t, o.running || o.busy, "staging starts no writer")
	o.mu.Unlock()
	o.flush()
	require.Eventually(t, func() bool {
		sock.mu.Lock()
		defer sock.mu.Unlock()
		return len(sock.frames) == 2
	}, waitFor, time.Millisecond)
	sock.mu.Lock()
	defer sock.mu.Unlock()
	assert.Equal(t, [][]byte{[]byte("snapshot"), []byte("board")}, sock.frames)
}

func TestBatchConnCloseWritesWhatIsHeld(t *testing.T) {
	a, b := net.Pipe()
	c := newBatchConn(a, newBatchPool())
	got := make(chan []byte, 1)
	go func() {
		var all []byte
		buf := make([]byte, 64)
		for {
			n, err := b.Read(buf)
			all = append(all, buf[:n]...)
			if err != nil {
				got <- all
				return
			}
		}
	}()
	c.hold()
	_, err := c.Write([]byte("frame"))
	require.NoError(t, err)
	_, err = c.Write([]byte("close"))
	require.NoError(t, err)
	require.NoError(t, c.Close())
	select {
	case all := <-got:
		assert.Equal(t, "frameclose", string(all), "gws's close frame, written mid-batch, and the frames before it")
	case <-time.After(waitFor):
		t.Fatal("nothing read")
	}
}

// BenchmarkOutboxTick is one client's tick on a real connection: a 2.8 KB
// snapshot and a board staged together, then written; writes/tick counts
// the Writes that reached the TCP socket.
func BenchmarkOutboxTick(b *testing.B) {
	for _, batched := range []bool{false, true} {
		b.Run(fmt.Sprintf("batched=%v", batched), func(b *testing.B) {
			p := newWirePair(b, batched)
			done := make(chan struct{})
			b.Cleanup(func() { close(done) })
			go func() { // the client reads and drops everything
				for {
					select {
					case <-p.frames:
					case <-done:
						return
					}
				}
			}()
			o := newOutbox(p.ws, 1<<20, newMetrics())
			b.Cleanup(o.stop)
			snapshot, board := bytes.Repeat([]byte("s"), 2800), bytes.Repeat([]byte("b"), 300)
			before := p.tcp.writes.Load()
			b.ReportAllocs()
			for b.Loop() {
				o.stage(gws.OpcodeBinary, snapshot)
				o.stage(gws.OpcodeBinary, board)
				o.flush()
				waitWritten(o)
			}
			b.ReportMetric(float64(p.tcp.writes.Load()-before)/float64(b.N), "writes/tick")
		})
	}
}

// waitWritten waits until the writer has taken and written every frame.
func waitWritten(o *outbox) {
	for {
		o.mu.Lock()
		pending := o.pending
		o.mu.Unlock()
		if pending == 0 {
			return
		}
		runtime.Gosched()
	}
}
