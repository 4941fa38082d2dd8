package transport

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Named defaults for Options.
const (
	// DefaultInbox is how many received messages wait for the game loop: a
	// few seconds of snapshots, in case it stalls (a window drag, a
	// background tab). Past it messages are dropped and counted.
	DefaultInbox            = 256
	DefaultOutbox           = 64 // messages waiting to be written: two seconds of inputs at 30 Hz
	DefaultMaxMessage       = 1 << 20
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultWriteTimeout     = 5 * time.Second
	// closeWait is how long Close waits for the server's answering close frame
	// before dropping the connection.
	closeWait = time.Second
)

var (
	// ErrClosed: the connection has ended.
	ErrClosed = errors.New("transport: connection closed")
	// ErrBackpressure: the send queue is full; the message was not sent.
	ErrBackpressure = errors.New("transport: send queue full")
)

// Options tune a connection. Zero fields take the named defaults.
type Options struct {
	Inbox            int // received messages buffered for the reader
	Outbox           int // messages queued for writing
	MaxMessage       int // bytes; a bigger message ends the connection (desktop only)
	HandshakeTimeout time.Duration
	WriteTimeout     time.Duration // a Send write that takes longer ends the connection (desktop only)

	// Stamp delivers each message on Arrivals with the time it came off the
	// socket (on the desktop's read loop, in the browser's message event),
	// instead of on Messages, which then only closes at the end. A game loop
	// reads its messages up to a frame after they arrived; timing them there
	// would count the frame as network delay in round trips and jitter.
	Stamp bool
	// OnMessage, when set, receives each binary message on the connection's
	// read loop instead of Messages, which then only closes at the end. msg
	// is valid only during the call, and until it returns nothing more is
	// read: a bot applies snapshots without a copy, and a test stalls a
	// reader this way. Desktop only.
	OnMessage func(msg []byte)
	// Dialer makes the TCP connection (its Timeout, its Control to set socket
	// options); nil is a plain net.Dialer. Desktop only.
	Dialer *net.Dialer
	// Header is sent with the upgrade request (a test plays a proxy with
	// X-Forwarded-For). Desktop only: a browser sets its own.
	Header http.Header
	// TLS configures wss:// (nil: the system's roots). Desktop only.
	TLS *tls.Config
	// Sim delays and stalls the connection's messages both ways (see Sim);
	// Arrivals then carry the simulated arrival times, so that ping and
	// clock sync see the simulated network. OnMessage is called on the
	// simulator's goroutine, and a slow one no longer holds up the socket:
	// the simulator keeps reading, up to DefaultSimQueue messages.
	Sim Sim
}

func (o *Options) fill() {
	if o.Inbox <= 0 {
		o.Inbox = DefaultInbox
	}
	if o.Outbox <= 0 {
		o.Outbox = DefaultOutbox
	}
	if o.MaxMessage <= 0 {
		o.MaxMessage = DefaultMaxMessage
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
}

// CloseError is how the server ended the connection: the close frame's code
// and reason.
type CloseError struct {
	Code   uint16
	Reason string
}

func (e *CloseError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("transport: closed with code %d", e.Code)
	}
	return fmt.Sprintf("transport: closed with code %d: %s", e.Code, e.Reason)
}

// Arrival is one binary message and when it came off the socket. It is an
// alias of an unnamed struct, so that a package can take the same type
// without importing this one (link's Conn does).
type Arrival = struct {
	Data []byte
	At   time.Time
}

// inbox is the receiving half both platforms share: one reader pushes, the
// game loop drains Messages (or Arrivals), and the end of the connection
// closes the channels after recording why.
type inbox struct {
	ch      chan []byte
	arr     chan Arrival // instead of ch, with Options.Stamp
	dropped atomic.Uint64
	once    sync.Once
	mu      sync.Mutex
	err     error
}

// newInbox holds up to n messages, on Arrivals if stamp, else on Messages.
func newInbox(n int, stamp bool) inbox {
	if stamp {
		return inbox{ch: make(chan []byte), arr: make(chan Arrival, n)}
	}
	return inbox{ch: make(chan []byte, n)}
}

// push queues msg, which came off the socket at at, without blocking (a
// browser event handler must not block); a full inbox drops it. Only the
// connection's reader (or the simulator's down line, instead) calls push,
// and never after finish.
func (b *inbox) push(msg []byte, at time.Time) {
	if b.arr != nil {
		select {
		case b.arr <- Arrival{Data: msg, At: at}:
		default:
			b.dropped.Add(1)
		}
		return
	}
	select {
	case b.ch <- msg:
	default:
		b.dropped.Add(1)
	}
}

// finish records why the connection ended and closes the channel, once.
// then, if not nil, runs after the reason is recorded and before the
// channel closes: a reader that sees the channel closed then sees whatever
// then did (the native Conn closes Done there, so Send fails from then on).
func (b *inbox) finish(err error, then ...func()) {
	b.once.Do(func() {
		b.mu.Lock()
		b.err = err
		b.mu.Unlock()
		for _, f := range then {
			f()
		}
		close(b.ch)
		if b.arr != nil {
			close(b.arr)
		}
	})
}

// Messages delivers each binary message received, in order (none with
// Options.Stamp); the channel is closed when the connection ends.
func (b *inbox) Messages() <-chan []byte { return b.ch }

// Arrivals delivers each binary message received with its arrival time, in
// order, and is closed when the connection ends; ok is false, and there are
// none, unless the connection was dialled with Options.Stamp.
func (b *inbox) Arrivals() (arrivals <-chan Arrival, ok bool) { return b.arr, b.arr != nil }

// Err is why the connection ended (a *CloseError when the server closed it),
// nil while it is open.
func (b *inbox) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// Dropped counts messages dropped because the inbox (or the simulator's
// queue) was full.
func (b *inbox) Dropped() uint64 { return b.dropped.Load() }

// CloseCode returns the close frame's code, so that callers can read it
// through a small interface without importing this package.
func (e *CloseError) CloseCode() uint16 { return e.Code }

// CloseReason returns the close frame's reason, for the same callers: a
// draining server says so there.
func (e *CloseError) CloseReason() string { return e.Reason }
