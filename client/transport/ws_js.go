package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"
	"time"
)

// maxBuffered is how many bytes the browser may hold unsent before Send
// reports backpressure: about two seconds of inputs.
const maxBuffered = 64 << 10

// Conn is the page's own WebSocket, driven through syscall/js.
type Conn struct {
	inbox
	ws    js.Value
	funcs []js.Func // event handlers, released when the socket closes
	sim   *simNet   // nil unless opts.Sim is on
	stop  sync.Once
	mu    sync.Mutex
	open  bool
}

// Dial opens a WebSocket to url (ws:// or wss://) and waits until it is open,
// has failed, or ctx is done.
func Dial(ctx context.Context, url string, opts Options) (c *Conn, err error) {
	opts.fill()
	if err := opts.Sim.Validate(); err != nil {
		return nil, err
	}
	// The WebSocket constructor throws on a malformed URL; syscall/js turns
	// that into a panic.
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("transport: dial %s: %v", url, r)
		}
	}()
	ws := js.Global().Get("WebSocket").New(url)
	ws.Set("binaryType", "arraybuffer")
	c = &Conn{inbox: newInbox(opts.Inbox, opts.Stamp), ws: ws}
	if opts.Sim.On() {
		// Nothing arrives before "open", and the handlers that use the
		// simulator run after this on the page's event loop.
		c.sim = newSimNet(opts.Sim, func(msg []byte, _ time.Time) { c.write(msg) }, c.push)
	}
	opened, closed := make(chan struct{}), make(chan struct{})
	c.on("open", func(js.Value) {
		c.mu.Lock()
		c.open = true
		c.mu.Unlock()
		close(opened)
	})
	c.on("message", func(ev js.Value) {
		at := arrivedAt(ev)
		data := ev.Get("data")
		if !data.InstanceOf(js.Global().Get("ArrayBuffer")) {
			return // a text frame: not part of the protocol
		}
		arr := js.Global().Get("Uint8Array").New(data)
		msg := make([]byte, arr.Get("length").Int())
		js.CopyBytesToGo(msg, arr)
		if c.sim == nil {
			c.push(msg, at)
		} else if c.sim.receive(msg, at) != nil {
			c.dropped.Add(1)
		}
	})
	c.on("close", func(ev js.Value) {
		c.mu.Lock()
		wasOpen := c.open
		c.open = false
		c.mu.Unlock()
		err := &CloseError{Code: uint16(ev.Get("code").Int()), Reason: ev.Get("reason").String()}
		if c.sim != nil && wasOpen {
			// The end reaches the game after the messages that came
			// before it.
			c.sim.ended(func() { c.finish(err) }, time.Now())
		} else {
			if c.sim != nil {
				c.sim.ended(func() {}, time.Now())
			}
			c.finish(err) // Dial reads it at once
		}
		c.release()
		close(closed)
	})
	// An "error" event is always followed by "close", which reports it.

	select {
	case <-opened:
		return c, nil
	case <-closed:
		// Closed before it opened: the close event says why, as far as a
		// browser lets a page know.
		return nil, fmt.Errorf("transport: dial %s: %w", url, c.Err())
	case <-ctx.Done():
		ws.Call("close")
		return nil, fmt.Errorf("transport: dial %s: %w", url, ctx.Err())
	}
}

// maxEventAge bounds how far before its handler an event's own timestamp
// is believed: past it the clock it was taken on is not performance.now's.
const maxEventAge = time.Second

// arrivedAt is when the browser received the message of ev. The handler runs
// when the page's main thread is free, after the frame being drawn; the
// event's timeStamp (performance.now's clock) can be earlier than that, and
// is used when it is, within maxEventAge.
func arrivedAt(ev js.Value) time.Time {
	now := time.Now()
	ts := ev.Get("timeStamp")
	if ts.Type() != js.TypeNumber {
		return now
	}
	age := time.Duration((js.Global().Get("performance").Call("now").Float() - ts.Float()) * float64(time.Millisecond))
	if age <= 0 || age > maxEventAge {
		return now
	}
	return now.Add(-age)
}

func (c *Conn) on(event string, fn func(ev js.Value)) {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		fn(args[0])
		return nil
	})
	c.funcs = append(c.funcs, f)
	c.ws.Set("on"+event, f)
}

func (c *Conn) release() {
	for _, ev := range []string{"open", "message", "close"} {
		c.ws.Set("on"+ev, js.Null())
	}
	for _, f := range c.funcs {
		f.Release()
	}
	c.funcs = nil
}

// Send writes msg as one binary message. The browser queues it; past
// maxBuffered unsent bytes Send refuses with ErrBackpressure.
func (c *Conn) Send(msg []byte) error {
	c.mu.Lock()
	open := c.open
	c.mu.Unlock()
	if !open {
		return ErrClosed
	}
	if c.ws.Get("bufferedAmount").Int() > maxBuffered {
		return ErrBackpressure
	}
	if c.sim != nil {
		// A failed send of a held message shows only as the socket's close.
		return c.sim.send(bytes.Clone(msg))
	}
	return c.write(msg)
}

func (c *Conn) write(msg []byte) error {
	arr := js.Global().Get("Uint8Array").New(len(msg))
	js.CopyBytesToJS(arr, msg)
	if err := callSend(c.ws, arr); err != nil {
		return fmt.Errorf("transport: send: %w", err)
	}
	return nil
}

// callSend calls ws.send, turning the exception it throws on a socket that is
// closing into an error.
func callSend(ws, arr js.Value) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Join(ErrClosed, fmt.Errorf("%v", r))
		}
	}()
	ws.Call("send", arr)
	return nil
}

// Close starts the closing handshake with code 1000. Messages is closed when
// the browser reports the socket closed.
func (c *Conn) Close() error {
	c.stop.Do(func() {
		c.mu.Lock()
		c.open = false
		c.mu.Unlock()
		closeNow := func() { c.ws.Call("close", 1000) }
		// Simulated, the close leaves after the messages sent before it.
		if c.sim == nil || c.sim.closeSend(closeNow) != nil {
			closeNow()
		}
	})
	return nil
}
