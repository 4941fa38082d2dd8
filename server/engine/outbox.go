package engine

import (
	"encoding/binary"
	"net"
	"sync"
	"time"

	"github.com/lxzan/gws"
)

const (
	// closeWriteGrace bounds how long the frames before a close, and the close
	// frame itself, may take to write once a close is decided: a client that
	// does not read them in time is cut off without them.
	closeWriteGrace = 2 * time.Second
	// closeLinger is how long the server waits for the client's close frame
	// after sending its own before it drops the connection. Closing at once
	// would reset a connection with unread client data in flight (a flood,
	// say), and the reset can destroy the close frame before the client
	// reads it.
	closeLinger = 2 * time.Second
	// An outbox keeps a few spent buffers for reuse, and not huge ones (a full
	// snapshot can be large once and small ever after).
	maxFreeBuffers    = 4
	maxRetainedBuffer = 32 << 10
	// frameOverhead is what a queued frame costs beyond its payload (its
	// slot in the queue, its buffer's header, the frame header gws writes),
	// charged against the outbox's byte limit so that frames of size zero (an
	// empty pong) cannot be queued without bound.
	frameOverhead = 64
)

// socket is what an outbox writes to: a *gws.Conn, or a discarding fake in
// benchmarks (whose NetConn may be nil).
type socket interface {
	WriteMessage(opcode gws.Opcode, payload []byte) error
	SetWriteDeadline(t time.Time) error
	NetConn() net.Conn
}

// batcher gathers the frames gws writes into one write of the connection
// (see batchConn); a socket without one (a fake, a connection Server did not
// upgrade) is written frame by frame.
type batcher interface {
	hold()
	last()
	flush()
}

// outbox is one connection's bounded send queue and the goroutine that writes
// it. gws's own async write queue is unbounded, so nothing is handed to gws
// except by this writer, and what one wake-up finds queued goes to the
// connection in one write where the socket can batch (batcher): a write
// costs per call far more than per byte. Producers (the room goroutine, the
// connection's reader) never block: send copies the frame into a buffer
// the outbox owns, or refuses it when the queue holds limit bytes or more,
// every frame counted as its payload plus frameOverhead. At most one pong
// waits: a newer ping's pong replaces it (RFC 6455 5.5.3 allows answering
// only the latest ping), so pings cannot grow the queue.
type outbox struct {
	sock  socket
	batch batcher // nil: one write a frame
	limit int
	m     *metrics

	mu          sync.Mutex
	queue       []outFrame // frames waiting for the writer, oldest first
	free        [][]byte   // spent buffers for send to reuse
	pending     int        // bytes queued or being written
	closing     bool       // a close is queued after the frames in queue
	closeCode   uint16
	closeReason string
	stopped     bool // the writer has quit or must quit; nothing more is written
	pong        []byte
	pongQueued  bool // pong waits for the writer, charged in pending
	hurried     bool // drop the connection right after the close frame, not closeLinger later
	closeSent   bool // the close frame is written
	wake        chan struct{}
}

// outFrame is one queued WebSocket message; b is owned by the outbox.
type outFrame struct {
	op gws.Opcode
	b  []byte
}

func newOutbox(sock socket, limit int, m *metrics) *outbox {
	b, _ := sock.NetConn().(batcher)
	return &outbox{sock: sock, batch: b, limit: limit, m: m, wake: make(chan struct{}, 1)}
}

// send queues a copy of frame and reports whether it did. A frame is refused
// once the queue holds limit bytes (one frame may take it past the limit, so a
// large full snapshot still goes out), or after close or stop.
func (o *outbox) send(frame []byte) bool { return o.sendOp(gws.OpcodeBinary, frame) }

// sendOp is send for any opcode.
func (o *outbox) sendOp(op gws.Opcode, frame []byte) bool {
	if !o.stage(op, frame) {
		return false
	}
	o.signal()
	return true
}

// stage is sendOp without waking the writer: a producer that queues several
// frames for one client in a tick (a snapshot, and the board once a second)
// stages them and then calls flush, so that one wake-up finds them all and
// they go out in one write. Until then a staged frame waits (and counts
// against the limit) like any other; anything that wakes the writer writes it.
func (o *outbox) stage(op gws.Opcode, frame []byte) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closing || o.stopped || o.pending >= o.limit {
		return false
	}
	o.enqueue(op, frame)
	return true
}

// flush wakes the writer for the frames staged.
func (o *outbox) flush() { o.signal() }

// sendPong queues a pong with payload, replacing a pong not yet written, and
// reports whether one is queued. The writer sends it ahead of the queue:
// control frames may come between messages, and a pong is a round-trip probe.
func (o *outbox) sendPong(payload []byte) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case o.closing || o.stopped:
		return false
	case o.pongQueued:
		o.pending += len(payload) - len(o.pong)
	case o.pending >= o.limit:
		return false
	default:
		o.pongQueued = true
		o.pending += len(payload) + frameOverhead
		defer o.signal()
	}
	o.pong = append(o.pong[:0], payload...)
	return true
}

// enqueue appends a copy of frame; o.mu is held.
func (o *outbox) enqueue(op gws.Opcode, frame []byte) {
	var buf []byte
	if n := len(o.free); n > 0 {
		buf, o.free = o.free[n-1], o.free[:n-1]
	}
	buf = append(buf[:0], frame...)
	o.queue = append(o.queue, outFrame{op: op, b: buf})
	o.pending += len(buf) + frameOverhead
}

// over reports whether the queue is at or past its limit: the connection is
// not keeping up.
func (o *outbox) over() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pending >= o.limit
}

// close queues last (an Error message; may be nil) and then a close frame with
// code and reason. With discard, frames not yet written are dropped first: a
// slow client would only get them late. The write deadline makes sure a
// client that does not read cannot hold the writer.
func (o *outbox) close(code uint16, reason string, last []byte, discard bool) {
	o.mu.Lock()
	if o.closing || o.stopped {
		o.mu.Unlock()
		return
	}
	if discard {
		if o.pongQueued {
			o.pongQueued = false
			o.pending -= len(o.pong) + frameOverhead
		}
		for i, f := range o.queue {
			o.pending -= len(f.b) + frameOverhead
			o.recycle(f.b)
			o.queue[i] = outFrame{}
		}
		o.queue = o.queue[:0]
	}
	if last != nil {
		o.enqueue(gws.OpcodeBinary, last)
	}
	o.closing, o.closeCode, o.closeReason = true, code, reason
	o.mu.Unlock()
	_ = o.sock.SetWriteDeadline(time.Now().Add(closeWriteGrace)) // an error means the socket is gone already
	o.signal()
}

// stop makes the writer quit without writing anything more: the connection is
// closed already.
func (o *outbox) stop() {
	o.mu.Lock()
	o.stopped = true
	o.mu.Unlock()
	o.signal()
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// recycle keeps buf for reuse, within bounds; o.mu is held.
func (o *outbox) recycle(buf []byte) {
	if len(o.free) < maxFreeBuffers && cap(buf) <= maxRetainedBuffer {
		o.free = append(o.free, buf[:0])
	}
}

// run is the connection's writer goroutine. It writes queued frames in order
// and ends after writing the close frame, after a write error (gws then closes
// the connection itself), or on stop.
func (o *outbox) run() {
	var batch []outFrame
	var pong []byte
	for {
		o.mu.Lock()
		for len(o.queue) == 0 && !o.pongQueued && !o.closing && !o.stopped {
			o.mu.Unlock()
			<-o.wake
			o.mu.Lock()
		}
		if o.stopped {
			o.mu.Unlock()
			return
		}
		hasPong := o.pongQueued
		if hasPong {
			pong, o.pongQueued = append(pong[:0], o.pong...), false
		}
		if len(o.queue) == 0 && !hasPong { // closing, and everything before the close is written
			o.stopped = true
			code, reason := o.closeCode, o.closeReason
			o.mu.Unlock()
			o.writeClose(code, reason)
			return
		}
		batch, o.queue = o.queue, batch[:0]
		o.mu.Unlock()

		written, failed := o.write(pong, hasPong, batch)

		o.mu.Lock()
		o.pending -= written
		for i, f := range batch {
			o.recycle(f.b)
			batch[i] = outFrame{}
		}
		batch = batch[:0]
		if failed {
			o.stopped = true
		}
		o.mu.Unlock()
		if failed {
			return
		}
	}
}

// writeClose starts the closing handshake: the close frame goes out, the
// read loop goes on until the client answers with its own (then gws closes
// the connection), and closeLinger later the connection is dropped anyway.
func (o *outbox) writeClose(code uint16, reason string) {
	payload := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(reason)), code)
	payload = append(payload, reason...)
	if err := o.sock.WriteMessage(gws.OpcodeCloseConnection, payload); err != nil {
		return // gws has closed the connection already
	}
	nc := o.sock.NetConn()
	if nc == nil {
		return
	}
	o.mu.Lock()
	o.closeSent = true
	hurried := o.hurried
	o.mu.Unlock()
	if hurried {
		_ = nc.Close()
		return
	}
	time.AfterFunc(closeLinger, func() { _ = nc.Close() }) // an error means it is closed already
}

// hurry drops the connection as soon as its close frame is written, for a
// client that keeps sending after its close was decided: the connection's
// graceful close (see gatedConn) then reads a bounded amount of what it sends
// instead of the read loop reading all of it for closeLinger.
func (o *outbox) hurry() {
	o.mu.Lock()
	o.hurried = true
	sent := o.closeSent
	o.mu.Unlock()
	if nc := o.sock.NetConn(); sent && nc != nil {
		_ = nc.Close()
	}
}

// write writes the pong, if any, then frames in order, all in one write of
// the connection where the socket can batch, and returns the bytes it took
// off the queue. On an error gws has closed the connection; the rest are
// dropped.
func (o *outbox) write(pong []byte, hasPong bool, frames []outFrame) (n int, failed bool) {
	left := len(frames)
	if hasPong {
		left++
	}
	batched := o.batch != nil && left > 1
	if batched {
		o.batch.hold()
	}
	if hasPong {
		n += len(pong) + frameOverhead
		left--
		failed = !o.writeFrame(gws.OpcodePong, pong, batched && left == 0)
	}
	for _, f := range frames {
		n += len(f.b) + frameOverhead
		left--
		if !failed {
			failed = !o.writeFrame(f.op, f.b, batched && left == 0)
		}
	}
	if failed && batched {
		o.batch.flush() // what gws took before the error goes out, as it would have unbatched
	}
	return n, failed
}

// writeFrame hands one frame to gws; last says it ends a batch, so its write
// carries the frames held before it.
func (o *outbox) writeFrame(op gws.Opcode, b []byte, last bool) bool {
	if last {
		o.batch.last()
	}
	if err := o.sock.WriteMessage(op, b); err != nil {
		return false
	}
	o.m.bytesOut.Add(float64(len(b)))
	o.m.messagesOut.Inc()
	return true
}
