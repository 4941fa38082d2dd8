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
	// inboxPerPlayer sizes a room's inbox: a client sends about one input per
	// tick, and the room drains its inbox between ticks.
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
	c     *conn
	name  string        // evJoin
	token string        // evJoin: the new session's; evResume: the one to resume
	in    netcode.Input // evInput
}

// frameHook, when set (tests), sees the whole world as captured at each
// snapshot tick: the truth every client's view is cut from. It must not keep
// world.
type frameHook func(room string, tick uint32, world []netcode.Entity)

// room runs one Sim. Its goroutine (run) is the only one that touches the
// Sim, the members and the buffers below; readers talk to it through the
// bounded inbox, and it hands frames to connections' outboxes, never to a
// socket.
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

	inbox    chan event
	stopc    chan struct{}
	stopOnce sync.Once
	tick     atomic.Uint32 // published for Pong
	players  atomic.Int32  // published for /healthz

	// Room goroutine only.
	members        []*member
	byToken        map[string]*member
	hist           *history
	grid           *grid
	k              uint32 // ticks per snapshot
	rings          int    // snapshots kept: about a second
	worldW, worldH uint16
	enc            encCache
	body           []byte   // a snapshot's changes, before its head is known
	removed        []uint32 // a snapshot's removals
	buf            []byte
	top            []netcode.BoardEntry
	emptySince     time.Time
}

func newRoom(name string, public bool, reg *registry, sim Sim) *room {
	cfg := reg.cfg
	k := cfg.ticksPerSnapshot()
	rings := cfg.snapshotRate()
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
		stopc:   make(chan struct{}),
		byToken: make(map[string]*member),
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

// post hands ev to the room without blocking; false when the inbox is full.
func (r *room) post(ev event) bool {
	select {
	case r.inbox <- ev:
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
	var ran int64
	for {
		select {
		case <-ctx.Done():
			r.close(netcode.CloseGoingAway, "server shutting down")
			return
		case <-r.stopc:
			r.close(netcode.CloseGoingAway, "server shutting down")
			return
		case ev := <-r.inbox:
			if !r.handle(ev, time.Now()) {
				return
			}
		case <-timer.C:
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

// handle applies one event. It reports false when a panic closed the room.
func (r *room) handle(ev event, now time.Time) (ok bool) {
	defer r.catch(&ok)
	switch ev.kind {
	case evJoin:
		r.join(ev)
	case evResume:
		r.resume(ev, now)
	case evInput:
		m := ev.c.mem
		if m == nil || m.conn != ev.c {
			return true // the player left, or moved to a newer connection
		}
		if !m.acknowledge(ev.in.Ack) {
			ev.c.reject(reasonInvalid, netcode.CloseInvalidValue, fmt.Sprintf("ack of tick %d, which was not sent", ev.in.Ack))
			return true
		}
		if n := m.queue(ev.in); n > 0 {
			r.m.inputsDropped.Add(float64(n))
		}
	}
	return true
}

// step runs one tick: drops and expiries, one input per player, the Sim, and
// on the last of a run of ticks that is a snapshot tick, the snapshots. ok is
// false when a panic closed the room; retired when it closed for being empty.
func (r *room) step(now time.Time, last bool) (ok, retired bool) {
	defer r.catch(&ok)
	t0 := time.Now()
	r.reap(now)
	for _, m := range r.members {
		if m.conn == nil {
			continue
		}
		if in, ok := m.next(); ok {
			r.sim.Input(m.id, in)
			m.lastSeq, m.aim = in.Seq, in.Aim
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
		if m.conn != nil {
			m.conn.fail(code, reason)
		}
	}
	r.m.players.Sub(float64(len(r.members)))
	r.members = nil
	r.players.Store(0)
	for {
		select {
		case ev := <-r.inbox:
			if ev.kind != evInput {
				ev.c.fail(code, reason)
			}
		default:
			return
		}
	}
}

func (r *room) join(ev event) {
	c := ev.c
	if c.gone.Load() || c.code.Load() != 0 {
		r.reg.unadmit(r, ev.token)
		return
	}
	m := newMember(r.sim.Join(ev.name), ev.name, ev.token, r.cfg, r.rings)
	m.attach(c)
	r.members = append(r.members, m)
	r.byToken[m.token] = m
	r.players.Store(int32(len(r.members)))
	r.m.players.Inc()
	r.welcome(m, false)
}

func (r *room) resume(ev event, now time.Time) {
	m := r.byToken[ev.token]
	if m == nil {
		ev.c.fail(netcode.CloseResumeFailed, "unknown or expired session token")
		return
	}
	if old := m.conn; old != nil {
		old.mem = nil
		old.fail(netcode.CloseReplaced, "the session was resumed on another connection")
		m.conn, m.since = nil, now
	}
	if ev.c.gone.Load() || ev.c.code.Load() != 0 {
		return
	}
	m.attach(ev.c)
	r.welcome(m, true)
}

func (r *room) welcome(m *member, resumed bool) {
	w := netcode.Welcome{
		Kind:         netcode.KindWelcome,
		PlayerID:     m.id,
		Room:         r.name,
		TickRate:     uint16(r.cfg.TickRate),
		SnapshotRate: uint16(r.cfg.snapshotRate()),
		ServerTick:   r.sim.Tick(),
		Token:        m.token,
		WorldW:       r.worldW,
		WorldH:       r.worldH,
		Resumed:      resumed,
	}
	buf, err := netcode.Append(r.buf[:0], &w)
	if err != nil {
		r.log.Error("encode welcome", "err", err)
		m.conn.fail(netcode.CloseInternal, "internal server error")
		return
	}
	r.buf = buf
	m.conn.out.send(buf) // the first frame: the queue is empty, or closing
	m.conn.welcomed()
	r.log.Debug("player joined", "player", m.id, "name", m.name, "resumed", resumed, "players", len(r.members))
}

// reap notices closed connections: their players wait for a resume (standing
// still, not firing) or leave, and players whose grace ran out leave.
func (r *room) reap(now time.Time) {
	for i := 0; i < len(r.members); {
		m := r.members[i]
		if c := m.conn; c != nil && c.gone.Load() {
			c.mem, m.conn = nil, nil
			if !c.keep.Load() || r.cfg.ResumeGrace <= 0 {
				r.removeMember(i, "left")
				continue
			}
			m.since = now
			m.head, m.n = 0, 0
			r.sim.Input(m.id, netcode.Input{Aim: m.aim})
			r.log.Debug("player dropped, waiting for resume", "player", m.id, "grace", r.cfg.ResumeGrace)
		}
		if m.conn == nil && now.Sub(m.since) >= r.cfg.ResumeGrace {
			r.removeMember(i, "resume grace expired")
			continue
		}
		i++
	}
}

func (r *room) removeMember(i int, why string) {
	m := r.members[i]
	r.sim.Leave(m.id)
	delete(r.byToken, m.token)
	r.reg.leave(r, m.token)
	last := len(r.members) - 1
	r.members[i], r.members[last] = r.members[last], nil
	r.members = r.members[:last]
	r.players.Store(int32(len(r.members)))
	r.m.players.Dec()
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
