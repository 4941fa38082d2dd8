package engine

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

const (
	// maxCatchUp is how many ticks a late room runs back to back before it
	// gives up on the rest (counted as overruns): catching up on more would
	// only make the next tick late too.
	maxCatchUp = 3
	// inboxPerPlayer sizes a room's inbox of inputs: a client sends about
	// one input per tick, and the room drains its inbox once a tick (see
	// drain). Joins and resumes have a queue of their own, minInbox long.
	inboxPerPlayer = 4
	minInbox       = 256
)

type eventKind uint8

const (
	evJoin eventKind = iota + 1
	evResume
	evInput
)

// event is what a connection's reader posts to its room.
type event struct {
	kind  eventKind
	p     peer
	name  string        // evJoin
	token string        // evJoin: the new session's; evResume: the one to resume
	in    netcode.Input // evInput
}

// peer is a player's connection as its room sees it. The room hands it
// frames and decides closes; it never touches a socket. *session is the
// real one; room tests use fakes.
type peer interface {
	// send queues one frame without blocking; false when it is refused (the
	// queue is full or the connection is closing).
	send(frame []byte) bool
	// stage is send without writing, and flush writes what was staged
	// (without waiting for the socket: see outbox): the frames a client gets
	// in one tick (its snapshot, the board) go out in one write, since a
	// message costs far more per write than per byte.
	stage(frame []byte) bool
	flush()
	// over reports whether the send queue is past its limit: the client is
	// not keeping up, and its snapshots are skipped.
	over() bool
	// fail sends an Error with code and text, then closes with code, after
	// what is already queued; kick does the same, dropping what is queued.
	// Only the first close decided for a peer counts.
	fail(code uint16, text string)
	kick(code uint16, text string)
	// closed reports whether a close has been decided or the connection is
	// gone: nothing more should be sent.
	closed() bool
	// ended reports whether the connection is gone, and if so whether its
	// player should wait out the resume grace (the network failed it, not
	// the client or the rules).
	ended() (gone, keep bool)
	// welcomed tells the connection its Welcome is queued: its hello phase
	// is over.
	welcomed()
}

// frameHook, when set (tests), sees the whole world as captured at each
// snapshot tick: the truth every client's view is cut from. It must not keep
// world.
type frameHook func(room string, tick uint32, world []netcode.Entity)

// room runs one Sim. Its goroutine (run) is the only one that touches the
// Sim, the members and the buffers below, except that during a snapshot its
// workers (fanout.go) serve members while it waits for them; readers talk
// to it through the bounded inbox, and it hands frames to connections'
// outboxes, never to a socket.
type room struct {
	name    string
	public  bool   // made by the server for players who named no room
	creator string // the address whose hello made the room
	cfg     Config
	log     *slog.Logger
	m       *metrics
	reg     *registry
	onFrame frameHook
	sim     Sim

	inbox    chan event // inputs, drained once a tick
	joins    chan event // joins and resumes, handled as they come
	stopc    chan struct{}
	stopOnce sync.Once
	tick     atomic.Uint32 // published for Pong
	players  atomic.Int32  // published for /healthz

	// Room goroutine only.
	members        []*member
	byToken        map[string]*member
	byPeer         map[peer]*member // attached members by their connection
	hist           *history
	grid           *grid
	k              uint32 // ticks per snapshot
	rings          int    // snapshots kept: about a second
	worldW, worldH uint16
	fan            fanOut // the snapshot workers
	buf            []byte // Welcome and Board frames
	top            []netcode.BoardEntry
	boardMsg       netcode.Board // reused: encoding it through an interface would move a new one to the heap each board tick
	emptySince     time.Time
	bots           []uint32 // the Sim's players that are fill bots, oldest first (fillbots.go)
	botsMade       int      // bots ever added: names the next one
}

func newRoom(name string, public bool, reg *registry, sim Sim) *room {
	cfg := reg.cfg
	k := cfg.ticksPerSnapshot()
	rings := cfg.SnapshotRate
	w, h := sim.Size()
	r := &room{
		name:    name,
		public:  public,
		cfg:     cfg,
		log:     reg.log.With("room", name),
		m:       reg.m,
		reg:     reg,
		onFrame: reg.onFrame,
		sim:     sim,
		inbox:   make(chan event, max(minInbox, cfg.RoomCapacity*inboxPerPlayer)),
		joins:   make(chan event, minInbox),
		stopc:   make(chan struct{}),
		byToken: make(map[string]*member),
		byPeer:  make(map[peer]*member),
		hist:    newHistory(rings, k),
		grid:    newGrid(w, h, cfg.ViewRadius),
		k:       uint32(k),
		rings:   rings,
		worldW:  uint16(min(w, 65535)),
		worldH:  uint16(min(h, 65535)),
	}
	r.tick.Store(sim.Tick())
	return r
}

// queueOf is the queue ev goes to.
func (r *room) queueOf(ev event) chan event {
	if ev.kind == evInput {
		return r.inbox
	}
	return r.joins
}

// post hands ev to the room without blocking; false when its queue is full.
func (r *room) post(ev event) bool {
	select {
	case r.queueOf(ev) <- ev:
		return true
	default:
		return false
	}
}

// stop asks the room to close its clients (1001) and end. Idempotent.
func (r *room) stop() { r.stopOnce.Do(func() { close(r.stopc) }) }

// run is the room's goroutine: a fixed timestep on the monotonic clock. Tick
// n is due at start + n*interval. A timer set to the next due time wakes the
// loop (timers never fire early, where a ticker's phase against start could
// make one wake run no tick and the next run two), and a slow tick or a late
// wake-up runs the ticks that are due, so the schedule never drifts.
func (r *room) run(ctx context.Context) {
	interval := time.Second / time.Duration(r.cfg.TickRate)
	start := time.Now()
	timer := time.NewTimer(interval)
	defer timer.Stop()
	defer r.fan.stop()
	var ran int64
	for {
		select {
		case <-ctx.Done():
			r.close(netcode.CloseGoingAway, "server shutting down")
			return
		case <-r.stopc:
			r.close(netcode.CloseGoingAway, "server shutting down")
			return
		case ev := <-r.joins:
			if !r.handle(ev, time.Now()) {
				return
			}
		case <-timer.C:
			if !r.drain(time.Now()) {
				return
			}
			due := int64(time.Since(start) / interval)
			n := due - ran
			if n > maxCatchUp {
				r.m.tickOverruns.Add(float64(n - maxCatchUp))
				n = maxCatchUp
			}
			ran = due
			for i := range n {
				ok, retired := r.step(time.Now(), i == n-1)
				if !ok || retired {
					return
				}
			}
			timer.Reset(time.Until(start.Add(time.Duration(ran+1) * interval)))
		}
	}
}

// drain handles the inputs posted since the last tick, in order, and
// reports false when a panic closed the room. The room does not wake for
// each input as it comes: at 1,000 players that would be 30,000 wake-ups a
// second, each a switch from the connection's reader to the room goroutine
// and back, for inputs that wait for the next tick anyway (a jitter buffer
// counts in ticks). Joins and resumes, rare and waited for by a player, do
// wake it, and any still queued are handled first: the inputs counted
// were posted after their connection's join, so the room knows the player
// when it reads them. Only what is there when it starts is handled, so a
// flood cannot hold up the tick; the inbox holds a tick's worth and more.
func (r *room) drain(now time.Time) bool {
	inputs := len(r.inbox)
	for n := len(r.joins); n > 0; n-- {
		if !r.handle(<-r.joins, now) {
			return false
		}
	}
	for ; inputs > 0; inputs-- {
		if !r.handle(<-r.inbox, now) {
			return false
		}
	}
	return true
}

// handle applies one event. It reports false when a panic closed the room.
func (r *room) handle(ev event, now time.Time) (ok bool) {
	defer r.catch(&ok)
	switch ev.kind {
	case evJoin:
		r.join(ev)
	case evResume:
		r.resume(ev, now)
	case evInput:
		m := r.byPeer[ev.p]
		if m == nil {
			return true // the player left, or moved to a newer connection
		}
		if !m.acknowledge(ev.in.Ack) {
			r.m.decodeError(reasonInvalid)
			ev.p.fail(netcode.CloseInvalidValue, fmt.Sprintf("ack of tick %d, which was not sent", ev.in.Ack))
			return true
		}
		if n := m.queue(ev.in); n > 0 {
			r.m.inputsDropped.Add(float64(n))
		}
	}
	return true
}

// step runs one tick: drops and expiries, each player's input from its
// jitter buffer, the Sim, and on the last of a run of ticks that is a
// snapshot tick, the snapshots. ok is false when a panic closed the room;
// retired when it closed for being empty.
func (r *room) step(now time.Time, last bool) (ok, retired bool) {
	defer r.catch(&ok)
	t0 := time.Now()
	r.reap(now)
	for _, m := range r.members {
		if m.peer == nil {
			continue
		}
		t := m.take()
		if t.n == 0 {
			r.sim.Hold(m.id) // its input is late: the player waits for it (jitter.go)
			continue
		}
		for _, in := range t.ins[:t.n] {
			r.sim.Input(m.id, in)
		}
		last := t.ins[t.n-1]
		m.lastSeq, m.aim = last.Seq, last.Aim
		m.delay = uint16(min(t.waited[t.n-1], 65535))
		for _, w := range t.waited[:t.n] {
			r.m.inputDelay.Observe(float64(w))
		}
		if t.n > 1 {
			r.m.inputCatchUps.Inc()
		}
	}
	r.sim.Step()
	tick := r.sim.Tick()
	r.tick.Store(tick)
	if last && tick%r.k == 0 {
		r.snapshot(tick, now)
	}
	r.m.tickDuration.Observe(time.Since(t0).Seconds())
	return true, r.idle(now)
}

// catch, deferred, turns a panic in the room into closing the room: a panic
// may have left the Sim half-stepped or the members half-updated, so the
// state is not trusted. Its clients get 1011 and may join again (a fresh
// room); the process and every other room carry on.
func (r *room) catch(ok *bool) {
	p := recover()
	if p == nil {
		return
	}
	*ok = false
	r.m.roomPanics.Inc()
	r.log.Error("panic in room, closing it", "panic", p, "stack", string(debug.Stack()))
	r.reg.remove(r)
	r.close(netcode.CloseInternal, "the room failed, join again")
}

// close closes every client of the room, and those waiting to join, with
// code, and forgets the members.
func (r *room) close(code uint16, reason string) {
	for _, m := range r.members {
		if m.peer != nil {
			m.peer.fail(code, reason)
		}
	}
	r.m.players.Sub(float64(len(r.members)))
	r.members = nil
	clear(r.byPeer)
	r.players.Store(0)
	for {
		select {
		case <-r.inbox:
		case ev := <-r.joins:
			ev.p.fail(code, reason)
		default:
			return
		}
	}
}

func (r *room) join(ev event) {
	if ev.p.closed() {
		r.reg.unadmit(r, ev.token)
		return
	}
	m := newMember(r.sim.Join(ev.name), ev.name, ev.token, r.cfg, r.rings)
	r.attach(m, ev.p)
	r.members = append(r.members, m)
	r.byToken[m.token] = m
	r.players.Store(int32(len(r.members)))
	r.m.players.Inc()
	r.fillBots()
	r.welcome(m, false)
}

func (r *room) resume(ev event, now time.Time) {
	m := r.byToken[ev.token]
	if m == nil {
		ev.p.fail(netcode.CloseResumeFailed, "unknown or expired session token")
		return
	}
	if old := m.peer; old != nil {
		r.detach(m, now)
		old.fail(netcode.CloseReplaced, "the session was resumed on another connection")
	}
	if ev.p.closed() {
		return
	}
	r.attach(m, ev.p)
	r.welcome(m, true)
}

// attach gives m a (new) connection p; detach takes it away at now, when
// its resume grace starts. They are the only places that link a member and
// its connection.
func (r *room) attach(m *member, p peer) {
	m.attach(p)
	r.byPeer[p] = m
}

func (r *room) detach(m *member, now time.Time) {
	delete(r.byPeer, m.peer)
	m.peer, m.since = nil, now
}

func (r *room) welcome(m *member, resumed bool) {
	w := netcode.Welcome{
		Kind:         netcode.KindWelcome,
		PlayerID:     m.id,
		Room:         r.name,
		TickRate:     uint16(r.cfg.TickRate),
		SnapshotRate: uint16(r.cfg.SnapshotRate),
		ServerTick:   r.sim.Tick(),
		Token:        m.token,
		WorldW:       r.worldW,
		WorldH:       r.worldH,
		Resumed:      resumed,
	}
	buf, err := netcode.Append(r.buf[:0], &w)
	if err != nil {
		r.log.Error("encode welcome", "err", err)
		m.peer.fail(netcode.CloseInternal, "internal server error")
		return
	}
	r.buf = buf
	m.peer.send(buf) // the first frame: the queue is empty, or closing
	m.peer.welcomed()
	r.log.Debug("player joined", "player", m.id, "name", m.name, "resumed", resumed, "players", len(r.members))
}

// reap notices closed connections: their players wait for a resume (standing
// still, not firing) or leave, and players whose grace ran out leave.
func (r *room) reap(now time.Time) {
	for i := 0; i < len(r.members); {
		m := r.members[i]
		if gone, keep := peerEnded(m.peer); gone {
			r.detach(m, now)
			if !keep || r.cfg.ResumeGrace <= 0 {
				r.removeMember(i, "left")
				continue
			}
			m.clearInputs()
			r.sim.Input(m.id, netcode.Input{Aim: m.aim})
			r.log.Debug("player dropped, waiting for resume", "player", m.id, "grace", r.cfg.ResumeGrace)
		}
		if m.peer == nil && now.Sub(m.since) >= r.cfg.ResumeGrace {
			r.removeMember(i, "resume grace expired")
			continue
		}
		i++
	}
}

func (r *room) removeMember(i int, why string) {
	m := r.members[i]
	if m.peer != nil {
		delete(r.byPeer, m.peer)
	}
	r.sim.Leave(m.id)
	delete(r.byToken, m.token)
	r.reg.leave(r, m.token)
	last := len(r.members) - 1
	r.members[i], r.members[last] = r.members[last], nil
	r.members = r.members[:last]
	r.players.Store(int32(len(r.members)))
	r.m.players.Dec()
	r.fillBots()
	r.log.Debug("player left", "player", m.id, "why", why, "players", len(r.members))
}

// idle reports whether the room has been empty for EmptyRoomTTL and the
// registry let it go (no join is on its way).
func (r *room) idle(now time.Time) bool {
	if len(r.members) > 0 {
		r.emptySince = time.Time{}
		return false
	}
	if r.emptySince.IsZero() {
		r.emptySince = now
	}
	if now.Sub(r.emptySince) < r.cfg.EmptyRoomTTL || !r.reg.retire(r) {
		return false
	}
	r.log.Info("room closed: empty", "ttl", r.cfg.EmptyRoomTTL)
	return true
}

// peerEnded is p.ended() for a member that may have no connection.
func peerEnded(p peer) (gone, keep bool) {
	if p == nil {
		return false, false
	}
	return p.ended()
}
