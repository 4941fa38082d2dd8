package bot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Named defaults for Config.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultPingInterval   = time.Second
)

// maxMessage is the largest server message a bot takes: gws's default, far
// above any snapshot the server's caps allow.
const maxMessage = 16 << 20

// ackSlots is how many of the ticks it acknowledged a lean bot remembers, to
// check the baselines the server names: the server deltas only against an
// ack less than a second old, at most one new ack per input, so two seconds
// of inputs at 30 Hz hold every baseline it may name.
const ackSlots = 64

// sentSlots is how many recent input send times a bot remembers for latency.
// An input not covered by a snapshot within sentSlots inputs (about 4 s at
// 30 Hz) is not measured; that would show as a stalled run anyway.
const sentSlots = 128

// Config is what every bot of a swarm shares.
type Config struct {
	URL            string // ws://host:port/ws
	Behavior       Behavior
	ConnectTimeout time.Duration // dial + handshake + Welcome
	PingInterval   time.Duration
	// Sim is a simulated network on each bot's connection (zero: none), so
	// that a run shows what the server and the bots' figures do at a
	// latency loopback does not have.
	Sim transport.Sim
	// Match, when set, seats every new player: the bot dials the seat's
	// server with its ticket instead of URL (a fleet that requires tickets
	// admits no other), and a drain's close is no error but the end of the
	// seat (Ending). Resumes dial the server the bot was seated on.
	Match Matcher
}

// Bot lifecycle states.
const (
	stateIdle int32 = iota
	stateConnecting
	stateLive
	stateDone
)

type sentInput struct {
	seq uint32
	at  time.Time
}

// Bot is one protocol client. Connect it once; then a scheduler calls Step at
// the tick rate from one goroutine while the connection's read loop applies
// snapshots.
type Bot struct {
	cfg  *Config
	rec  *Recorder
	name string
	room string

	token string // a session to resume (see Resume); empty = a new player
	url   string // the server dialled: cfg.URL, the seat's, or the resumed session's
	// ending is how the session ended, an Ending, set before done closes.
	ending   atomic.Uint32
	writeErr atomic.Pointer[error] // the first failed write of a live bot

	link     link // set by Connect
	state    atomic.Int32
	welcomed chan struct{} // closed on Welcome
	done     chan struct{} // closed when the read loop has ended

	// lean: the bot reads only each snapshot's head (netcode.SnapshotHead)
	// and never builds the world; otherwise it is an observer, which applies
	// every delta in full with a netcode.Receiver as a game client does.
	lean bool

	// Owned by the read loop.
	welcome  netcode.Welcome
	delta    netcode.Delta
	head     netcode.SnapshotHead
	board    netcode.Board
	rx       *netcode.Receiver // from the Welcome on
	lastSnap time.Time
	playerID uint32
	// ticksPerSnapshot is the tick distance between consecutive snapshots.
	ticksPerSnapshot uint32

	// Shared between the read loop and Step.
	mu      sync.Mutex
	ack     uint32 // tick of the newest applied snapshot
	lastSeq uint32 // newest LastSeq seen
	sent    [sentSlots]sentInput
	acks    [ackSlots]uint32 // lean: the ticks sent as acks, newest at ackN-1
	ackN    int
	view    view

	// Owned by Step.
	seq      uint32
	mind     mind
	buf      []byte
	pingBuf  []byte
	nextPing time.Time
}

// New returns an unconnected observer bot: it applies every snapshot in full
// and checks it. seed makes its random walk reproducible.
func New(cfg *Config, rec *Recorder, name, room string, seed uint64) *Bot {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) // any fixed stream; seed differs per bot
	return &Bot{
		cfg: cfg, rec: rec, name: name, room: room,
		welcomed: make(chan struct{}),
		done:     make(chan struct{}),
		mind:     mind{behavior: cfg.Behavior, rng: rng, aim: rng.Float64()*2*math.Pi - math.Pi},

		ticksPerSnapshot: 1, // until a Welcome says otherwise
	}
}

// NewLean returns an unconnected lean bot: it reads only each snapshot's
// head, so that a swarm loads the server at a fraction of a game client's
// cost. It cannot see the world, so it wanders without steering off the
// walls, and as a fighter it fires along its drifting aim at every input.
func NewLean(cfg *Config, rec *Recorder, name, room string, seed uint64) *Bot {
	b := New(cfg, rec, name, room, seed)
	b.lean = true
	return b
}

// Connect dials, says hello and waits for the Welcome. It records the connect
// time or the failure; the bot is live (Step sends) only if it returns nil.
func (b *Bot) Connect(ctx context.Context) error {
	if !b.state.CompareAndSwap(stateIdle, stateConnecting) {
		return fmt.Errorf("bot: %s: connect twice", b.name)
	}
	start := time.Now()
	hello := netcode.Hello{Version: netcode.ProtocolVersion, Name: b.name, Room: b.room, Token: b.token}
	if b.url == "" {
		b.url = b.cfg.URL
	}
	if b.token == "" && b.cfg.Match != nil {
		mctx, cancel := context.WithTimeout(ctx, b.cfg.ConnectTimeout)
		seat, err := b.cfg.Match(mctx, b.room)
		cancel()
		if err != nil {
			b.state.Store(stateDone)
			close(b.done)
			err = fmt.Errorf("bot: %s: %w", b.name, err)
			b.rec.fail(ErrKindMatch, err)
			return err
		}
		b.url, hello.Room, hello.Ticket = seat.URL, seat.Room, seat.Ticket
	}
	lk, err := b.dial(ctx)
	if err != nil {
		b.state.Store(stateDone)
		close(b.done)
		err = fmt.Errorf("bot: %s: %w", b.name, err)
		b.rec.fail(ErrKindConnect, err)
		return err
	}
	b.link = lk

	if err := b.send(&hello); err != nil {
		err = fmt.Errorf("bot: %s: hello: %w", b.name, err)
		b.abort(ErrKindWrite, err)
		return err
	}
	timer := time.NewTimer(b.cfg.ConnectTimeout - time.Since(start))
	defer timer.Stop()
	select {
	case <-b.welcomed:
	case <-b.done:
		return fmt.Errorf("bot: %s: closed before welcome", b.name)
	case <-timer.C:
		err := fmt.Errorf("bot: %s: no welcome within %v", b.name, b.cfg.ConnectTimeout)
		b.abort(ErrKindWelcome, err)
		return err
	case <-ctx.Done():
		b.abort(ErrKindWelcome, ctx.Err())
		return ctx.Err()
	}
	if !b.state.CompareAndSwap(stateConnecting, stateLive) {
		b.link.close() // the read loop ends either way
		return fmt.Errorf("bot: %s: closed during connect", b.name)
	}
	b.rec.Connect.Record(time.Since(start))
	b.rec.Connected.Add(1)
	if !b.lean {
		b.rec.Observers.Add(1)
	}
	return nil
}

// writeFailed ends a live bot's connection after a failed write. The read
// loop's end counts it: a write fails too when the server has just closed
// the connection, and then its close, a drain say, is what happened.
func (b *Bot) writeFailed(err error) {
	b.writeErr.CompareAndSwap(nil, &err)
	b.link.close() // the read loop ends either way
}

// abort counts a failure of kind and closes the connection.
func (b *Bot) abort(kind string, err error) {
	if b.finish() {
		b.rec.fail(kind, err)
		b.link.close() // the read loop ends either way
	}
}

// finish moves the bot to done once; it reports whether this call did it.
func (b *Bot) finish() bool {
	for {
		s := b.state.Load()
		if s == stateDone {
			return false
		}
		if b.state.CompareAndSwap(s, stateDone) {
			if s == stateLive {
				b.rec.Connected.Add(-1)
				if !b.lean {
					b.rec.Observers.Add(-1)
				}
			}
			return true
		}
	}
}

// Close ends the bot's session normally. It does not wait; see Done. Call it
// once Connect has returned (or if it was never called).
func (b *Bot) Close() {
	if b.state.CompareAndSwap(stateIdle, stateDone) {
		close(b.done) // never connected: there is no read loop to close it
		return
	}
	if b.finish() && b.link != nil {
		b.link.close()
	}
}

// Done is closed when the bot's connection is gone (or never was).
func (b *Bot) Done() <-chan struct{} { return b.done }

// Live reports whether the bot is welcomed and not closed.
func (b *Bot) Live() bool { return b.state.Load() == stateLive }

// dial connects the bot's link: its own gws client (wsLink) on a ws:// URL,
// client/transport's Conn for a simulated network or wss://.
func (b *Bot) dial(ctx context.Context) (link, error) {
	nd := &net.Dialer{Timeout: b.cfg.ConnectTimeout}
	if !b.cfg.Sim.On() {
		l, err := dialWS(ctx, b.url, nd, b.cfg.ConnectTimeout, events{
			onMessage:  b.handle,
			onClose:    b.onClose, // closes b.done
			onWriteErr: b.writeFailed,
		})
		if !errors.Is(err, errNotWS) {
			return l, err
		}
	}
	conn, err := transport.Dial(ctx, b.url, transport.Options{
		Inbox: 1, Outbox: 1, // unused: messages go to handle, writes are synchronous
		MaxMessage:       maxMessage,
		HandshakeTimeout: b.cfg.ConnectTimeout,
		Dialer:           nd,
		OnMessage:        func(msg []byte) { b.handle(msg, time.Now()) },
		Sim:              b.cfg.Sim,
	})
	if err != nil {
		return nil, err
	}
	go func() { // onClose closes b.done
		<-conn.Done()
		b.onClose(conn.Err())
	}()
	return transportLink{conn}, nil
}

// Step sends this tick's input (and a ping when one is due) in one write.
// now is the scheduler's tick time; the latency clock starts at the actual
// send. A bot whose previous write is still being finished (its socket was
// full) skips the tick, as a client whose socket is full does not send.
// Call it from one goroutine only.
func (b *Bot) Step(now time.Time) {
	if !b.Live() || b.link.busy() {
		return
	}
	b.seq++
	if b.seq == 0 { // 0 is never sent
		b.seq++
	}
	b.mu.Lock()
	ack, v := b.ack, b.view
	b.sent[b.seq%sentSlots] = sentInput{seq: b.seq, at: time.Now()}
	b.noteAckLocked(ack)
	b.mu.Unlock()

	in := b.mind.next(now, v)
	if b.lean && b.mind.behavior == Fight {
		in.Buttons = game.ButtonFire
	}
	msg := netcode.Input{Seq: b.seq, Move: in.Move, Aim: float32(in.Aim), Buttons: in.Buttons, Ack: ack}
	var err error
	if b.buf, err = netcode.Append(b.buf[:0], &msg); err != nil {
		b.writeFailed(err)
		return
	}
	var ping []byte
	if b.pingDue(now) {
		if b.pingBuf, err = netcode.Append(b.pingBuf[:0], &netcode.Ping{ClientTime: now.UnixMicro()}); err != nil {
			b.writeFailed(err)
			return
		}
		ping = b.pingBuf
	}
	if err := b.link.write(b.buf, ping); err != nil {
		b.writeFailed(err)
		return
	}
	b.rec.InputsSent.Add(1)
	b.countSent(b.buf)
	if ping != nil {
		b.countSent(ping)
	}
}

// pingDue reports whether this step pings, and schedules the next.
func (b *Bot) pingDue(now time.Time) bool {
	if now.Before(b.nextPing) {
		return false
	}
	if b.nextPing.IsZero() {
		// Spread the swarm's pings over the interval.
		b.nextPing = now.Add(time.Duration(b.mind.rng.Int64N(int64(b.cfg.PingInterval))))
		return false
	}
	b.nextPing = b.nextPing.Add(b.cfg.PingInterval)
	if b.nextPing.Before(now) {
		b.nextPing = now.Add(b.cfg.PingInterval)
	}
	return true
}

// send encodes m into the bot's buffer and writes it as one binary message.
// Step and Connect never run at once, so the buffer is not shared.
func (b *Bot) send(m any) error {
	var err error
	if b.buf, err = netcode.Append(b.buf[:0], m); err != nil {
		return err
	}
	if err := b.link.write(b.buf, nil); err != nil {
		return err
	}
	b.countSent(b.buf)
	return nil
}

// countSent counts one message of payload msg written.
func (b *Bot) countSent(msg []byte) {
	b.rec.MsgsOut.Add(1)
	b.rec.BytesOut.Add(uint64(len(msg) + frameHeaderLen(len(msg), true)))
}

// frameHeaderLen is the WebSocket frame header size for a payload of n bytes;
// client frames carry a 4-byte mask.
func frameHeaderLen(n int, masked bool) int {
	h := 2
	switch {
	case n > 0xffff:
		h += 8
	case n > 125:
		h += 2
	}
	if masked {
		h += 4
	}
	return h
}

// handle processes one server message on the read loop.
func (b *Bot) handle(data []byte, now time.Time) {
	b.rec.MsgsIn.Add(1)
	b.rec.BytesIn.Add(uint64(len(data) + frameHeaderLen(len(data), false)))
	kind, err := netcode.PeekKind(data)
	if err != nil {
		b.rec.fail(ErrKindDecode, err)
		return
	}
	switch kind {
	case netcode.KindSnapshot:
		b.onSnapshot(data, now)
	case netcode.KindWelcome:
		b.onWelcome(data)
	case netcode.KindPong:
		var p netcode.Pong
		if err := netcode.DecodePong(data, &p); err != nil {
			b.rec.fail(ErrKindDecode, err)
			return
		}
		b.rec.RTT.Record(now.Sub(time.UnixMicro(p.ClientTime)))
	case netcode.KindBoard:
		if err := netcode.DecodeBoard(data, &b.board); err != nil {
			b.rec.fail(ErrKindDecode, err)
		}
	case netcode.KindError:
		// The close that follows carries the same code and is what counts;
		// the message is still decoded, as a client would.
		var e netcode.Error
		if err := netcode.DecodeError(data, &e); err != nil {
			b.rec.fail(ErrKindDecode, err)
		}
	default:
		b.rec.fail(ErrKindProtocol, fmt.Errorf("bot: message kind %d", kind))
	}
}

func (b *Bot) onWelcome(data []byte) {
	if b.playerID != 0 {
		b.rec.fail(ErrKindProtocol, errors.New("bot: a second welcome"))
		return
	}
	if err := netcode.DecodeWelcome(data, &b.welcome); err != nil {
		b.rec.fail(ErrKindDecode, err)
		return
	}
	b.playerID = b.welcome.PlayerID
	b.ticksPerSnapshot = b.welcome.TicksPerSnapshot()
	if !b.lean {
		b.rx = netcode.NewReceiver(b.welcome.SnapshotsPerSecond())
	}
	b.rec.TickRate.CompareAndSwap(0, uint32(b.welcome.TickRate))
	b.rec.SnapshotRate.CompareAndSwap(0, uint32(b.welcome.SnapshotsPerSecond()))
	b.rec.Welcomed.Add(1)
	b.mu.Lock()
	b.view.worldW, b.view.worldH = float64(b.welcome.WorldW), float64(b.welcome.WorldH)
	b.mu.Unlock()
	close(b.welcomed)
}

func (b *Bot) onSnapshot(data []byte, now time.Time) {
	b.rec.SnapshotsReceived.Add(1)
	if !b.lastSnap.IsZero() {
		b.rec.Interval.Record(now.Sub(b.lastSnap))
	}
	b.lastSnap = now
	if b.lean {
		b.onSnapshotHead(data, now)
		return
	}
	b.rec.ObserverSnapshots.Add(1)
	d := &b.delta
	if err := netcode.DecodeDelta(data, d); err != nil {
		b.rec.fail(ErrKindDecode, err)
		return
	}
	if b.rx == nil {
		b.rec.fail(ErrKindProtocol, errors.New("bot: a snapshot before the welcome"))
		return
	}
	prev := b.rx.Ack()
	st, err := b.rx.Apply(d)
	if err != nil {
		kind := ErrKindApply
		if errors.Is(err, netcode.ErrMissingBaseline) {
			kind = ErrKindBaseline
		}
		b.rec.fail(kind, fmt.Errorf("bot: %s: %w", b.name, err))
		return
	}
	b.rec.SnapshotsApplied.Add(1)
	b.rec.SnapshotsAcked.Add(1)
	if gap := st.Tick - prev; prev != 0 && gap > b.ticksPerSnapshot {
		b.rec.TicksMissed.Add(uint64(gap/b.ticksPerSnapshot - 1))
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	b.ack = st.Tick
	b.see(st)
	b.covered(d.LastSeq, now)
}

// onSnapshotHead is a lean bot's snapshot: the head alone.
//
// What it acks, and why: a game client acks the newest snapshot it applied,
// and on a WebSocket (ordered, lossless) it applies every snapshot it
// receives, since the server deltas only against a tick the client acked and
// so still holds. A lean bot therefore acks every snapshot newer than its
// last ack, as it arrives: the server sees the same acks, names the same
// baselines and sends the same bytes as to a game client, which is what the
// load must be. What the lean bot cannot check, that a delta fits its
// baseline, the observers check; what it can, it does: the tick must be
// newer than the last one, and the baseline 0 or a tick it acked.
func (b *Bot) onSnapshotHead(data []byte, now time.Time) {
	h := &b.head
	if err := netcode.DecodeSnapshotHead(data, h); err != nil {
		b.rec.fail(ErrKindDecode, err)
		return
	}
	if b.playerID == 0 {
		b.rec.fail(ErrKindProtocol, errors.New("bot: a snapshot before the welcome"))
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	prev := b.ack
	if prev != 0 && !netcode.SeqNewer(h.Tick, prev) {
		b.rec.fail(ErrKindApply, fmt.Errorf("bot: %s: %w: tick %d, newest %d", b.name, netcode.ErrStale, h.Tick, prev))
		return
	}
	if h.Baseline != 0 && !b.ackedLocked(h.Baseline) {
		b.rec.fail(ErrKindBaseline, fmt.Errorf("bot: %s: %w: delta %d from baseline %d, never acked", b.name, netcode.ErrMissingBaseline, h.Tick, h.Baseline))
		return
	}
	if gap := h.Tick - prev; prev != 0 && gap > b.ticksPerSnapshot {
		b.rec.TicksMissed.Add(uint64(gap/b.ticksPerSnapshot - 1))
	}
	b.rec.SnapshotsAcked.Add(1)
	b.ack = h.Tick
	b.covered(h.LastSeq, now)
}

// noteAckLocked remembers, for a lean bot, a tick about to be sent as an
// ack: the baselines the server may name. Called with b.mu held.
func (b *Bot) noteAckLocked(ack uint32) {
	if !b.lean || ack == 0 || (b.ackN > 0 && b.acks[(b.ackN-1)%ackSlots] == ack) {
		return
	}
	b.acks[b.ackN%ackSlots] = ack
	b.ackN++
}

// ackedLocked reports whether tick is one of the last ackSlots acks sent.
// Called with b.mu held.
func (b *Bot) ackedLocked(tick uint32) bool {
	for i := range min(b.ackN, ackSlots) {
		if b.acks[i] == tick {
			return true
		}
	}
	return false
}

// covered records the input latency of the inputs a snapshot with this
// LastSeq covers first. Called with b.mu held.
func (b *Bot) covered(lastSeq uint32, now time.Time) {
	if !netcode.SeqNewer(lastSeq, b.lastSeq) {
		return
	}
	// Counted so that it holds across a wrap; only the last sentSlots are
	// remembered.
	n := min(lastSeq-b.lastSeq, sentSlots)
	for seq := lastSeq - n + 1; n > 0; seq, n = seq+1, n-1 {
		if s := b.sent[seq%sentSlots]; s.seq == seq && seq != 0 { // 0: an empty slot, never sent
			b.rec.Latency.Record(now.Sub(s.at))
		}
	}
	b.lastSeq = lastSeq
}

// see updates the behavior's view from a newly applied state. Called with
// b.mu held.
func (b *Bot) see(st *netcode.State) {
	es := st.Entities
	i, ok := netcode.FindEntity(es, b.playerID)
	b.view.hasSelf = ok
	b.view.hasTarget = false
	if !b.view.hasSelf {
		return
	}
	self := es[i].Pos()
	b.view.self = self
	if b.cfg.Behavior != Fight {
		return
	}
	best := math.Inf(1)
	for j := range es {
		e := &es[j]
		if e.Kind != game.KindPlayer || e.ID == b.playerID || e.Timer > 0 {
			continue
		}
		d := e.Pos().Sub(self)
		if dist := d.Dot(d); dist < best {
			best = dist
			b.view.targetAim = math.Atan2(d.Y, d.X)
			b.view.hasTarget = true
		}
	}
}

// onClose runs when the read loop ends, for whatever reason.
func (b *Bot) onClose(err error) {
	defer close(b.done)
	if !b.finish() {
		return // the bench closed it, or already counted it
	}
	code := netcode.CloseAbnormal // no close frame: the TCP connection just ended
	var ce *transport.CloseError
	if errors.As(err, &ce) {
		code = ce.Code
	}
	b.rec.closed(code)
	if b.cfg.Match != nil && ce != nil && ce.Code == netcode.CloseGoingAway && strings.HasPrefix(ce.Reason, DrainingPrefix) {
		// The fleet moving the player on, as it should: no error.
		b.ending.Store(uint32(EndedDrained))
		return
	}
	b.ending.Store(uint32(EndedLost))
	if werr := b.writeErr.Load(); werr != nil && ce == nil && !broken(*werr) {
		b.rec.fail(ErrKindWrite, *werr) // the bot's own write ended it (a timeout, say)
		return
	}
	b.rec.fail(ErrKindClosed, err)
}

// broken reports whether a write failed because the connection had ended
// under it: the server closed it or died, and whether the read or the write
// noticed first is chance.
func broken(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}
