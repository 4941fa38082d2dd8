//go:build !js

package e2e

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

const (
	observerName = "observer"

	// minMove is how far, in world units, the tracked player must get from
	// where it was first seen alive, within one life, to count as moving. A
	// respawn teleports, so each life measures from its own start.
	minMove = 24.0

	// minPlay is how long, in server time, the tracked player must have
	// been in the world before it counts as having moved: the scripted
	// input gets a few seconds, so the screenshots show a game under way.
	minPlay = 2 * time.Second
)

var errObserverClosed = errors.New("e2e: observer connection closed")

// observer is a protocol client in the room under test: it acknowledges every
// snapshot, rebuilds the server's view from the deltas, and reports when the
// player it tracks (by name) has joined and moved. It sends no movement, so
// the server keeps it still.
type observer struct {
	name   string // its own
	target string
	// pilot, when set, fills in the Input sent with each ack from the view
	// (hunter_test.go); without it the observer sends no movement.
	pilot func(o *observer, st *netcode.State, in *netcode.Input)

	welcomed chan struct{} // closed on Welcome
	joined   chan struct{} // closed when target is first seen
	moved    chan struct{} // closed when target has moved minMove in one life and played minPlay
	done     chan struct{} // closed when the connection is closed

	mu       sync.Mutex
	conn     *transport.Conn
	welcome  netcode.Welcome
	rx       *netcode.Receiver // the views, from the Welcome on
	seq      uint32
	snaps    int
	origin   game.Vec // target's position at the start of its current life
	inLife   bool     // origin is set
	farthest float64  // greatest distance from origin, any life
	last     game.Vec
	first    uint32 // tick when target was first seen
	played   uint32 // ticks since first
	err      error  // first protocol error; the reason the connection closed
}

// dialObserver joins addr's room e2eRoom as observerName and tracks the player
// named target until the test ends.
func dialObserver(t *testing.T, addr, target string) *observer {
	t.Helper()
	return dialPlayer(t, addr, observerName, target, nil)
}

// dialPlayer is dialObserver for a protocol client named name, steered by
// pilot when it is not nil.
func dialPlayer(t *testing.T, addr, name, target string, pilot func(*observer, *netcode.State, *netcode.Input)) *observer {
	t.Helper()
	o := &observer{
		name:     name,
		target:   target,
		pilot:    pilot,
		welcomed: make(chan struct{}),
		joined:   make(chan struct{}),
		moved:    make(chan struct{}),
		done:     make(chan struct{}),
	}
	conn, err := transport.Dial(t.Context(), "ws://"+addr+"/ws", transport.Options{
		HandshakeTimeout: stopTimeout,
		OnMessage:        o.onMessage,
	})
	require.NoError(t, err, "observer dial")
	o.mu.Lock()
	o.conn = conn // before the hello: the read loop answers with it
	o.mu.Unlock()
	go func() {
		<-conn.Done()
		o.onClose(conn.Err())
	}()
	hello, err := netcode.Append(nil, &netcode.Hello{
		Kind:    netcode.KindHello,
		Version: netcode.ProtocolVersion,
		Name:    o.name,
		Room:    e2eRoom,
	})
	require.NoError(t, err)
	require.NoError(t, conn.Write(hello))
	t.Cleanup(func() {
		_ = conn.Close() // best effort: the server may be gone
		conn.Abort()
		select {
		case <-o.done:
		case <-time.After(stopTimeout):
			t.Errorf("observer connection did not close within %v", stopTimeout)
		}
	})

	ctx, cancel := context.WithTimeout(t.Context(), stopTimeout)
	defer cancel()
	require.NoError(t, o.wait(ctx, o.welcomed, "welcome"))
	return o
}

// wait blocks until ch is closed, the connection closes, or ctx is done.
func (o *observer) wait(ctx context.Context, ch <-chan struct{}, what string) error {
	select {
	case <-ch:
		return nil
	case <-o.done:
		return fmt.Errorf("waiting for %s: %w (%s)", what, o.closeReason(), o.summary())
	case <-ctx.Done():
		return fmt.Errorf("waiting for %s: %w (%s)", what, context.Cause(ctx), o.summary())
	}
}

func (o *observer) closeReason() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	return errObserverClosed
}

// summary says what the observer has seen so far, for failure messages.
func (o *observer) summary() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return fmt.Sprintf("observer: %d snapshots, tracking %q: seen for %d ticks, farthest %.1f of %.1f units, last at (%.1f, %.1f)",
		o.snaps, o.target, o.played, o.farthest, minMove, o.last.X, o.last.Y)
}

func (o *observer) onClose(err error) {
	o.mu.Lock()
	if o.err == nil && err != nil {
		o.err = fmt.Errorf("%w: %w", errObserverClosed, err)
	}
	o.mu.Unlock()
	close(o.done)
}

// onMessage runs on the connection's read loop; msg is valid only during the
// call.
func (o *observer) onMessage(msg []byte) {
	o.mu.Lock()
	conn := o.conn
	reply, err := o.handle(msg)
	if err != nil && o.err == nil {
		o.err = err
	}
	o.mu.Unlock()
	switch {
	case err != nil:
		_ = conn.Close() // the test fails on o.err; the close is a courtesy
	case reply != nil:
		if err := conn.Write(reply); err != nil {
			o.mu.Lock()
			if o.err == nil {
				o.err = fmt.Errorf("observer ack: %w", err)
			}
			o.mu.Unlock()
		}
	}
}

// handle takes one server message and returns the acknowledgement to send,
// if any. It runs with o.mu held.
func (o *observer) handle(data []byte) ([]byte, error) {
	kind, err := netcode.PeekKind(data)
	if err != nil {
		return nil, fmt.Errorf("observer: %w", err)
	}
	switch kind {
	case netcode.KindWelcome:
		if err := netcode.DecodeWelcome(data, &o.welcome); err != nil {
			return nil, fmt.Errorf("observer welcome: %w", err)
		}
		o.rx = netcode.NewReceiver(o.welcome.SnapshotsPerSecond())
		close(o.welcomed)
		return nil, nil
	case netcode.KindSnapshot:
		return o.snapshot(data)
	case netcode.KindError:
		var e netcode.Error
		if err := netcode.DecodeError(data, &e); err != nil {
			return nil, fmt.Errorf("observer error message: %w", err)
		}
		return nil, fmt.Errorf("observer: server error %d: %s", e.Code, e.Text)
	default: // Pong, Board: nothing to check here
		return nil, nil
	}
}

// snapshot applies a delta to the baseline it names, tracks the target in
// the result, and returns the Input that acknowledges it.
func (o *observer) snapshot(data []byte) ([]byte, error) {
	if o.rx == nil {
		return nil, errors.New("observer: a snapshot before the welcome")
	}
	st, err := o.rx.Receive(data)
	if err != nil {
		return nil, fmt.Errorf("observer: %w", err)
	}
	o.snaps++
	o.track(st)

	o.seq++
	in := netcode.Input{Kind: netcode.KindInput, Seq: o.seq, Ack: o.rx.Ack()}
	if o.pilot != nil {
		o.pilot(o, st, &in)
	}
	return netcode.Append(nil, &in)
}

// track updates what is known of the target player from one view.
func (o *observer) track(st *netcode.State) {
	for i := range st.Entities {
		e := &st.Entities[i]
		if e.Kind != game.KindPlayer || e.Name != o.target {
			continue
		}
		if !isClosed(o.joined) {
			o.first = st.Tick
			close(o.joined)
		}
		o.played = st.Tick - o.first
		if e.Timer > 0 { // dead: the next life starts wherever it respawns
			o.inLife = false
			return
		}
		pos := e.Pos()
		o.last = pos
		if !o.inLife {
			o.origin, o.inLife = pos, true
			return
		}
		if d := math.Hypot(pos.X-o.origin.X, pos.Y-o.origin.Y); d > o.farthest {
			o.farthest = d
		}
		playTicks := uint32(minPlay.Seconds() * float64(o.welcome.TickRate))
		if o.farthest > minMove && o.played >= playTicks && !isClosed(o.moved) {
			close(o.moved)
		}
		return
	}
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// requireJoinedAndMoved waits, within ctx, for the target to show up and to
// move.
func (o *observer) requireJoinedAndMoved(t *testing.T, ctx context.Context) {
	t.Helper()
	start := time.Now()
	require.NoError(t, o.wait(ctx, o.joined, o.target+" to join"))
	t.Logf("observer saw %s join after %v", o.target, time.Since(start).Round(time.Millisecond))
	require.NoError(t, o.wait(ctx, o.moved, o.target+" to move"))
	t.Logf("observer saw %s move after %v: %s", o.target, time.Since(start).Round(time.Millisecond), o.summary())
}
