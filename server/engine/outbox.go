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
	// Spent frame buffers go back to frameBufs, but not huge ones (a full
	// snapshot can be large once and small ever after).
	maxRetainedBuffer = 32 << 10
	// frameOverhead is what a queued frame costs beyond its payload (its
	// slot in the queue, its buffer's header, the frame header gws writes),
	// charged against the outbox's byte limit so that frames of size zero (an
	// empty pong) cannot be queued without bound.
	frameOverhead = 64
)

// frameBufs holds the buffers queued frames are copied into, shared by
// every outbox: a client that keeps up has its frames written in the tick
// that staged them, so their buffers come back at once and it keeps none
// between ticks (a free list per outbox kept about 2.5 KB per client).
var frameBufs = sync.Pool{New: func() any { return new([]byte) }}

// socket is what an outbox writes to: a *gws.Conn, or a discarding fake in
// benchmarks (whose NetConn may be nil).
type socket interface {
	WriteMessage(opcode gws.Opcode, payload []byte) error
	SetWriteDeadline(t time.Time) error
	NetConn() net.Conn
}

// batcher gathers the frames gws writes into one write of the connection
// (see batchConn); a socket without one (a fake, a connection Server did not
// upgrade) is written frame by frame. A batcher that canTry can also end a
// batch with a write that does not wait for the socket (tryLast), keeping
// what the socket did not take as unsent bytes for drain.
type batcher interface {
	hold()
	last()
	tryLast()
	flush()
	canTry() bool
	unsentBytes() int
	drain() error
}

// neverBlocks marks a socket whose writes never wait (a fake that discards,
// in benchmarks), so an outbox writes to it as it does to a socket that can
// write without waiting.
type neverBlocks interface{ neverBlocks() }

// outbox is one connection's bounded send queue and its writer. gws's own
// async write queue is unbounded, so nothing is handed to gws except through
// an outbox, and what one writer finds queued goes to the connection in one
// write where the socket can batch (batcher): a write costs per call far
// more than per byte. Producers (the room goroutine and its snapshot
// workers, the connection's reader) never block: send copies the frame into
// a buffer the outbox owns, or refuses it when the queue holds limit bytes
// or more, every frame counted as its payload plus frameOverhead. At most one
// pong waits: a newer ping's pong replaces it (RFC 6455 5.5.3 allows
// answering only the latest ping), so pings cannot grow the queue.
//
// Who writes: on a socket that can write without waiting (a plain TCP
// connection), the producer whose flush finds the outbox idle writes the
// queue itself, with a write that takes only what the socket takes at once.
// A client that keeps up thus costs no goroutine and no wake-up per frame:
// at 1,000 clients, 30,000 wake-ups a second fewer. Only when the socket
// did not take everything, or a close is due, does the writer goroutine
// start: it writes, waiting for the socket, until the queue is empty, and
// then ends. Meanwhile producers queue behind it as before, so a client
// that does not read still delays no one else and is found out by over().
// On other sockets (TLS) the writer goroutine writes everything, as it
// always did, and lives as long as the connection.
type outbox struct {
	sock  socket
	batch batcher // nil: one write a frame
	now   bool    // producers may write without waiting (see above)
	limit int
	m     *metrics

	mu          sync.Mutex
	queue       []outFrame // frames waiting for the writer, oldest first
	pending     int        // bytes queued or being written
	closing     bool       // a close is queued after the frames in queue
	closeCode   uint16
	closeReason string
	stopped     bool // the writer has quit or must quit; nothing more is written
	pong        []byte
	pongQueued  bool // pong waits for the writer, charged in pending
	hurried     bool // drop the connection right after the close frame, not closeLinger later
	closeSent   bool // the close frame is written
	busy        bool // a producer or the writer goroutine is writing: the others queue
	running     bool // the writer goroutine exists
	unsent      int  // bytes the socket has not taken from a write that did not wait, charged in pending
	wake        chan struct{}

	// The writer's, whoever holds busy: the queue it is writing (swapped
	// with queue) and its copy of the pong.
	spare   []outFrame
	pongOut []byte
}

// outFrame is one queued WebSocket message; buf, from frameBufs, is owned by
// the outbox.
type outFrame struct {
	op  gws.Opcode
	buf *[]byte
}

func (f outFrame) bytes() []byte { return *f.buf }

func newOutbox(sock socket, limit int, m *metrics) *outbox {
	o := &outbox{sock: sock, limit: limit, m: m, wake: make(chan struct{}, 1)}
	if b, ok := sock.NetConn().(batcher); ok {
		o.batch, o.now = b, b.canTry()
	}
	if _, ok := sock.(neverBlocks); ok {
		o.now = true
	}
	return o
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
	o.flush()
	return true
}

// stage is sendOp without writing: a producer that queues several frames
// for one client in a tick (a snapshot, and the board once a second) stages
// them and then calls flush, so that they go out in one write. Until then a
// staged frame waits (and counts against the limit) like any other; any
// write of the queue writes it.
func (o *outbox) stage(op gws.Opcode, frame []byte) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closing || o.stopped || o.pending >= o.limit {
		return false
	}
	o.enqueue(op, frame)
	return true
}

// flush writes what is queued, or leaves it to the writer already at it.
// On a socket that can, the caller writes, taking only what the socket takes
// at once (see outbox); otherwise, and for a close, the writer goroutine
// does.
func (o *outbox) flush() {
	o.mu.Lock()
	if o.busy || o.stopped || !o.queued() && !o.closing {
		o.mu.Unlock()
		return
	}
	if !o.now || o.closing {
		o.startWriter()
		o.mu.Unlock()
		return
	}
	o.busy = true
	pong, hasPong, batch := o.take()
	o.mu.Unlock()

	written, failed := o.write(pong, hasPong, batch, true)
	unsent := 0
	if !failed && o.batch != nil {
		unsent = o.batch.unsentBytes()
	}

	o.mu.Lock()
	defer o.mu.Unlock()
	o.written(batch, written, failed)
	o.unsent = unsent
	o.pending += unsent
	switch {
	case failed:
		o.busy = false
	case unsent > 0 || o.queued() || o.closing:
		o.startWriter() // what the socket did not take, or what came meanwhile
	default:
		o.busy = false
	}
}

// queued reports whether frames or a pong wait; o.mu is held.
func (o *outbox) queued() bool { return len(o.queue) > 0 || o.pongQueued }

// startWriter hands the writing to the writer goroutine, starting it if it
// is not running; o.mu is held.
func (o *outbox) startWriter() {
	o.busy = true
	if o.running {
		o.signal()
		return
	}
	o.running = true
	go o.run()
}

// take hands the writer the pong and the queue; o.mu is held by a writer
// holding busy.
func (o *outbox) take() (pong []byte, hasPong bool, batch []outFrame) {
	if o.pongQueued {
		o.pongOut, o.pongQueued = append(o.pongOut[:0], o.pong...), false
		pong, hasPong = o.pongOut, true
	}
	batch, o.queue = o.queue, o.spare[:0]
	return pong, hasPong, batch
}

// written settles a write of batch that took n bytes off the queue; o.mu is
// held.
func (o *outbox) written(batch []outFrame, n int, failed bool) {
	o.pending -= n
	for i, f := range batch {
		recycle(f.buf)
		batch[i] = outFrame{}
	}
	o.spare = batch[:0]
	if failed {
		o.stopped = true
	}
}

// sendPong queues a pong with payload, replacing a pong not yet written, and
// reports whether one is queued. The writer sends it ahead of the queue:
// control frames may come between messages, and a pong is a round-trip probe.
func (o *outbox) sendPong(payload []byte) bool {
	o.mu.Lock()
	switch {
	case o.closing || o.stopped:
		o.mu.Unlock()
		return false
	case o.pongQueued:
		o.pending += len(payload) - len(o.pong)
	case o.pending >= o.limit:
		o.mu.Unlock()
		return false
	default:
		o.pongQueued = true
		o.pending += len(payload) + frameOverhead
	}
	o.pong = append(o.pong[:0], payload...)
	o.mu.Unlock()
	o.flush()
	return true
}

// enqueue appends a copy of frame; o.mu is held.
func (o *outbox) enqueue(op gws.Opcode, frame []byte) {
	buf := frameBufs.Get().(*[]byte)
	*buf = append((*buf)[:0], frame...)
	o.queue = append(o.queue, outFrame{op: op, buf: buf})
	o.pending += len(frame) + frameOverhead
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
			o.pending -= len(f.bytes()) + frameOverhead
			recycle(f.buf)
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
	o.flush()
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

// recycle hands buf back to frameBufs, unless it grew too big to keep.
func recycle(buf *[]byte) {
	if cap(*buf) <= maxRetainedBuffer {
		*buf = (*buf)[:0]
		frameBufs.Put(buf)
	}
}

// run is the writer goroutine (see startWriter). It writes what a write
// that did not wait left unsent, then queued frames in order, waiting for
// the socket. Where producers can write themselves it ends once nothing is
// left; elsewhere it waits for more. It ends for good after writing the
// close frame, after a write error (gws then closes the connection itself),
// or on stop.
func (o *outbox) run() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for {
		if o.unsent > 0 && !o.stopped {
			n := o.unsent
			o.mu.Unlock()
			err := o.batch.drain()
			o.mu.Lock()
			o.pending -= n
			o.unsent = 0
			if err != nil {
				o.stopped = true
			}
		}
		for !o.queued() && !o.closing && !o.stopped {
			o.busy = false
			if o.now {
				o.running = false
				return
			}
			o.mu.Unlock()
			<-o.wake
			o.mu.Lock()
		}
		if o.stopped {
			o.busy, o.running = false, false
			return
		}
		o.busy = true
		if !o.queued() { // closing, and everything before the close is written
			o.stopped = true
			code, reason := o.closeCode, o.closeReason
			o.mu.Unlock()
			o.writeClose(code, reason)
			o.mu.Lock()
			return
		}
		pong, hasPong, batch := o.take()
		o.mu.Unlock()
		written, failed := o.write(pong, hasPong, batch, false)
		o.mu.Lock()
		o.written(batch, written, failed)
	}
}

// writeClose starts the closing handshake: the close frame goes out, the
// read loop goes on until the client answers with its own (then gws closes
// the connection), and closeLinger later the connection is dropped anyway.
func (o *outbox) writeClose(code uint16, reason string) {
	payload := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(reason)), code)
	payload = append(payload, reason...)
	if o.batch != nil { // a batch of one, so that it waits for the socket (see batchConn.passWrite)
		o.batch.hold()
		o.batch.last()
	}
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
// off the queue; with now, that write takes only what the socket takes at
// once. On an error gws has closed the connection; the rest are dropped.
// Where the socket batches, even a lone frame is a batch of one: gws's
// writes outside a batch are its own (see batchConn.passWrite).
func (o *outbox) write(pong []byte, hasPong bool, frames []outFrame, now bool) (n int, failed bool) {
	left := len(frames)
	if hasPong {
		left++
	}
	batched := o.batch != nil
	if batched {
		o.batch.hold()
	}
	if hasPong {
		n += len(pong) + frameOverhead
		left--
		failed = !o.writeFrame(gws.OpcodePong, pong, batched && left == 0, now)
	}
	for _, f := range frames {
		n += len(f.bytes()) + frameOverhead
		left--
		if !failed {
			failed = !o.writeFrame(f.op, f.bytes(), batched && left == 0, now)
		}
	}
	if failed && batched {
		o.batch.flush() // what gws took before the error goes out, as it would have unbatched
	}
	return n, failed
}

// writeFrame hands one frame to gws; last says it ends a batch, so its write
// carries the frames held before it, and now that it does not wait.
func (o *outbox) writeFrame(op gws.Opcode, b []byte, last, now bool) bool {
	switch {
	case last && now:
		o.batch.tryLast()
	case last:
		o.batch.last()
	}
	if err := o.sock.WriteMessage(op, b); err != nil {
		return false
	}
	o.m.bytesOut.Add(float64(len(b)))
	o.m.messagesOut.Inc()
	return true
}
