package link

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// Conn is what Link needs of a WebSocket connection.
type Conn interface {
	// Send queues one binary message without blocking.
	Send(msg []byte) error
	// Messages delivers the messages received; it is closed when the
	// connection ends.
	Messages() <-chan []byte
	// Err says why the connection ended, once Messages is closed.
	Err() error
	// Close ends the connection.
	Close() error
}

// Arrival is a message and when it came off the socket: the same type as the
// transport's, which it names without importing it.
type Arrival = struct {
	Data []byte
	At   time.Time
}

// stamped is a Conn that times its messages where they come off the socket
// (the transport's, dialled with Options.Stamp): there, rather than when
// this goroutine gets to them, which in a browser is after the frame being
// drawn. ok is false for a Conn that delivers on Messages after all.
type stamped interface {
	Arrivals() (arrivals <-chan Arrival, ok bool)
}

// Dialer opens a Conn to url.
type Dialer func(ctx context.Context, url string) (Conn, error)

var (
	// ErrNotConnected: Send while no welcomed connection is up.
	ErrNotConnected = errors.New("link: not connected")
	// ErrSilent: the connection was dropped after DefaultSilence without a
	// message.
	ErrSilent = errors.New("link: server went silent")
	// ErrNoWelcome: the server did not answer hello in time.
	ErrNoWelcome = errors.New("link: no welcome")
	// ErrServerGone wraps the last failure of Config.RematchAfter resumes in
	// a row that did not reach the server: it is taken for dead.
	ErrServerGone = errors.New("link: server gone")
)

// Link is one player's connection to the server, across reconnections.
// Run drives it; the game loop reads Events and calls Send.
type Link struct {
	cfg    Config
	dial   Dialer
	log    *slog.Logger
	bo     *backoff
	events chan Event
	rejoin chan struct{}

	mu   sync.Mutex
	conn Conn // the welcomed connection, nil between connections

	bytesIn, bytesOut atomic.Uint64

	// Touched by Run's goroutine only.
	token  string
	room   string
	url    string // where the next attempt dials
	ticket string // for the next hello; spent by a welcome
	want   string // the room the next seat is asked for
	direct bool   // the last seat said there is no fleet to move to
}

// New returns a Link; Run starts it.
func New(cfg Config, dial Dialer, log *slog.Logger) (*Link, error) {
	cfg.fill()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	bo, err := newBackoff(cfg.Backoff, nil)
	if err != nil {
		return nil, err
	}
	return &Link{
		cfg: cfg, dial: dial, log: log, bo: bo,
		events: make(chan Event, cfg.Events),
		rejoin: make(chan struct{}, 1),
		room:   cfg.Room,
		url:    cfg.URL,
		want:   cfg.Room,
	}, nil
}

// Events delivers what happens to the connection, in order.
func (l *Link) Events() <-chan Event { return l.events }

// Traffic returns the message bytes received and sent so far.
func (l *Link) Traffic() (in, out uint64) { return l.bytesIn.Load(), l.bytesOut.Load() }

// Send sends one message on the welcomed connection without blocking.
func (l *Link) Send(msg []byte) error {
	l.mu.Lock()
	c := l.conn
	l.mu.Unlock()
	if c == nil {
		return ErrNotConnected
	}
	if err := c.Send(msg); err != nil {
		return err
	}
	l.bytesOut.Add(uint64(len(msg)))
	return nil
}

// Rejoin ends a Rejected wait: the next attempt joins as a new player.
func (l *Link) Rejoin() {
	select {
	case l.rejoin <- struct{}{}:
	default:
	}
}

// Run connects and keeps reconnecting until ctx is done; then it closes the
// connection and returns nil.
func (l *Link) Run(ctx context.Context) error {
	failedResumes := 0
	for attempt := 1; ; attempt++ {
		resuming := l.token != ""
		joined, err := false, error(nil)
		if !resuming && l.cfg.Match != nil {
			err = l.seat(ctx)
		}
		if err == nil {
			if !l.emit(ctx, Event{Kind: Dialing, Attempt: attempt, URL: l.url}) {
				return nil
			}
			joined, err = l.session(ctx)
		}
		if ctx.Err() != nil {
			return nil
		}
		if joined {
			attempt, failedResumes = 1, 0
		}
		rec := l.recovery(err, resuming)
		if rec == Resume && resuming && !joined && l.inFleet() {
			if failedResumes++; failedResumes >= l.cfg.RematchAfter {
				err, rec = fmt.Errorf("%w: %w", ErrServerGone, err), Rematch
			}
		}
		switch rec {
		case Rematch:
			l.log.Info("moving to another server", "err", err, "room", l.cfg.Room)
			// The player's own choice, not the room of the server left
			// behind: quick play stays quick play.
			l.token, l.want, failedResumes = "", l.cfg.Room, 0
			if !l.emit(ctx, Event{Kind: Rematching, Err: err}) {
				return nil
			}
			if joined || resuming {
				// The player was in a game that is ending: move at once.
				l.bo.reset()
				attempt = 0
				continue
			}
			// A seat that was refused before any game: ask again, but not
			// in a tight loop.
			if !sleep(ctx, l.bo.next()) {
				return nil
			}
			continue
		case Rejoin:
			// No wait: the server is up (it answered), and the player is
			// watching a game that no longer exists.
			l.log.Info("session not resumable, joining as a new player", "err", err, "room", l.room)
			// The same room again: the server restarted, the room is
			// where it was.
			l.token, l.want = "", l.room
			l.bo.reset()
			if !l.emit(ctx, Event{Kind: Rejoining, Err: err}) {
				return nil
			}
			attempt = 0
			continue
		case Stop:
			var r *Refusal
			errors.As(err, &r)
			l.log.Warn("server refused the player", "code", r.Code, "reason", r.Text)
			select {
			case <-l.rejoin: // a leftover from an earlier refusal
			default:
			}
			if !l.emit(ctx, Event{Kind: Rejected, Err: err}) || !l.waitRejoin(ctx) {
				return nil
			}
			l.token = ""
			l.bo.reset()
			attempt = 0
			continue
		}
		wait := l.bo.next()
		l.log.Info("connection lost", "err", err, "attempt", attempt, "retry_in", wait)
		if !l.emit(ctx, Event{Kind: Lost, Attempt: attempt, Wait: wait, Err: err}) || !sleep(ctx, wait) {
			return nil
		}
	}
}

// recovery is RecoveryFor, for what this Link can do: outside a fleet
// there is nobody to ask for a new seat, so a drain is waited out like any
// shutdown, and a refused ticket waits for the player.
func (l *Link) recovery(err error, resuming bool) Recovery {
	r := RecoveryFor(err, resuming)
	if r != Rematch || l.inFleet() {
		return r
	}
	if Draining(err) {
		return Resume
	}
	return Stop
}

// inFleet reports whether there is a fleet to move to: a Matcher whose last
// seat was not Direct.
func (l *Link) inFleet() bool { return l.cfg.Match != nil && !l.direct }

// seat asks the matchmaker where a new player goes (the room in l.want),
// and takes the URL, room and ticket of the next attempt from its answer.
func (l *Link) seat(ctx context.Context) error {
	s, err := l.cfg.Match(ctx, l.want)
	if err != nil {
		return fmt.Errorf("link: no seat: %w", err)
	}
	l.url, l.room, l.ticket, l.direct = s.URL, s.Room, s.Ticket, s.Direct
	return nil
}

// session runs one connection from dial to its end; it reports whether the
// server welcomed the player, and why the connection ended.
func (l *Link) session(ctx context.Context) (joined bool, err error) {
	conn, err := l.dial(ctx, l.url)
	if err != nil {
		return false, err
	}
	defer func() {
		l.setConn(nil)
		_ = conn.Close() // the session is over either way; Close only starts the handshake
	}()
	hello, err := netcode.Append(nil, &netcode.Hello{
		Kind: netcode.KindHello, Version: netcode.ProtocolVersion,
		Name: l.cfg.Name, Room: l.room, Token: l.token, Ticket: l.ticket,
	})
	if err != nil {
		return false, fmt.Errorf("link: encode hello: %w", err)
	}
	if err := conn.Send(hello); err != nil {
		return false, err
	}
	l.bytesOut.Add(uint64(len(hello)))

	// One of the two is nil, so its case never fires.
	msgs, arrivals := conn.Messages(), (<-chan Arrival)(nil)
	if s, ok := conn.(stamped); ok {
		if a, ok := s.Arrivals(); ok {
			msgs, arrivals = nil, a
		}
	}
	var refusal *Refusal
	quiet := time.NewTimer(l.cfg.WelcomeTimeout)
	defer quiet.Stop()
	for {
		var msg []byte
		var at time.Time
		var ok bool
		select {
		case <-ctx.Done():
			return joined, ctx.Err()
		case <-quiet.C:
			if joined {
				return true, ErrSilent
			}
			return false, ErrNoWelcome
		case msg, ok = <-msgs:
			at = time.Now()
		case a, open := <-arrivals:
			msg, at, ok = a.Data, a.At, open
		}
		if !ok {
			return joined, ended(refusal, conn.Err())
		}
		quiet.Reset(l.cfg.Silence)
		l.bytesIn.Add(uint64(len(msg)))
		ev, r, err := l.handle(msg, joined)
		ev.At = at
		switch {
		case err != nil:
			l.log.Warn("bad server message", "err", err)
			continue
		case r != nil:
			refusal = r
			continue
		case ev.Kind == Joined:
			joined = true
			l.setConn(conn)
		case ev.Kind == 0:
			continue
		}
		if !l.emit(ctx, ev) {
			return joined, ctx.Err()
		}
	}
}

// handle turns one server message into an event, or into a refusal to
// remember until the connection closes.
func (l *Link) handle(msg []byte, joined bool) (Event, *Refusal, error) {
	kind, err := netcode.PeekKind(msg)
	if err != nil {
		return Event{}, nil, err
	}
	switch kind {
	case netcode.KindWelcome:
		var w netcode.Welcome
		if err := netcode.DecodeWelcome(msg, &w); err != nil {
			return Event{}, nil, err
		}
		l.token, l.room, l.ticket = w.Token, w.Room, ""
		l.bo.reset()
		l.log.Info("joined", "player", w.PlayerID, "room", w.Room, "resumed", w.Resumed)
		return Event{Kind: Joined, Welcome: w}, nil, nil
	case netcode.KindError:
		var e netcode.Error
		if err := netcode.DecodeError(msg, &e); err != nil {
			return Event{}, nil, err
		}
		return Event{}, &Refusal{Code: e.Code, Text: e.Text}, nil
	}
	if !joined {
		return Event{}, nil, fmt.Errorf("link: message kind %d before welcome", kind)
	}
	return Event{Kind: Message, Data: msg}, nil, nil
}

// ended is why a connection ended: the server's Error if it sent one, else
// the close frame's code when it is one the protocol defines, else the
// transport's error.
func ended(refusal *Refusal, err error) error {
	if refusal != nil {
		return refusal
	}
	var cc interface{ CloseCode() uint16 }
	if errors.As(err, &cc) && !closedWithoutCause(cc.CloseCode()) {
		r := &Refusal{Code: cc.CloseCode()}
		var why interface{ CloseReason() string }
		if errors.As(err, &why) {
			r.Text = why.CloseReason()
		}
		return errors.Join(r, err)
	}
	if err == nil {
		return errors.New("link: connection closed")
	}
	return err
}

// closedWithoutCause reports whether a close code says nothing of why: a
// normal close, or one a peer only observes (no code, no close frame).
func closedWithoutCause(code uint16) bool {
	return code == netcode.CloseNormal || code == netcode.CloseNoStatus || code == netcode.CloseAbnormal
}

func (l *Link) setConn(c Conn) {
	l.mu.Lock()
	l.conn = c
	l.mu.Unlock()
}

func (l *Link) emit(ctx context.Context, ev Event) bool {
	select {
	case l.events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

func (l *Link) waitRejoin(ctx context.Context) bool {
	select {
	case <-l.rejoin:
		return true
	case <-ctx.Done():
		return false
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
