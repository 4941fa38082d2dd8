package match

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Ping schedule: quick samples until the clock is synced, then one a second.
const (
	pingFast = 200 * time.Millisecond
	pingSlow = time.Second
)

// ErrWelcome: a Welcome whose rates or world size the client cannot use.
var ErrWelcome = errors.New("match: unusable welcome")

// Stats are the counters the HUD shows.
type Stats struct {
	Snapshots      netcode.ReceiverStats
	DecodeErrors   uint64
	Corrections    uint64
	LastCorrection float64 // world units: the size of the latest correction
	// LifeCorrections counts the own ship moved by its death or respawn,
	// which are not mispredictions (Corrections does not count them).
	LifeCorrections uint64
	PendingInputs   int
	RTT             time.Duration
	ClockSynced     bool
	InterpDelay     time.Duration
	LastSnapshotLen int
	// InputDelay is the server's view of the input delay: how long the
	// newest input it applied waited in its queue (0 before the first).
	InputDelay time.Duration
	// Shots counts the own shots predicted, and of them those the
	// server's took over and those it never confirmed (PROTOCOL.md 7.6).
	ShotsPredicted, ShotsMatched, ShotsDropped uint64
	// ShotsEndedAtOnce counts the predicted shots that ended, as drawn,
	// before a snapshot could show the server's copy (it ended in its
	// first tick too): neither matched nor dropped.
	ShotsEndedAtOnce uint64
	// Frames counts the frames drawn (Others calls), and Extrapolated those
	// drawn past the newest snapshot, when the others are guessed on their
	// velocity instead of shown where the server had them.
	Frames, Extrapolated uint64
}

// Match is one joined session. Not safe for concurrent use: the game loop
// owns it.
type Match struct {
	welcome  netcode.Welcome
	self     uint32
	tickRate int
	size     game.Vec

	rx     *netcode.Receiver
	delta  netcode.Delta
	pred   *netcode.Predictor
	interp *netcode.Interpolator
	clock  netcode.Clock
	board  netcode.Board
	pong   netcode.Pong

	prev   []netcode.Entity // the state before the newest, for events
	events []Event
	shots  shots // the own shots, drawn in the present

	// The own ship's predicted position before the newest input, and when
	// that input was predicted: it is drawn between the two (SelfPos).
	prevPos game.Vec
	tickAt  time.Time

	epoch        time.Time // client clock origin for Ping times
	nextPing     time.Time
	seq          uint32
	aim          float64
	decodeErrors uint64
	lastLen      int
	frames       uint64
	extrapolated uint64
}

// New starts a session from the server's Welcome at client time now. Input
// sequence numbers continue after lastSeq, so a resumed player's numbers keep
// increasing across connections.
func New(w netcode.Welcome, lastSeq uint32, now time.Time) (*Match, error) {
	snapRate := w.SnapshotsPerSecond()
	if w.TickRate == 0 || w.TickRate > game.MaxTickRate || snapRate > int(w.TickRate) || w.WorldW == 0 || w.WorldH == 0 {
		return nil, fmt.Errorf("%w: tick rate %d, snapshot rate %d, world %dx%d", ErrWelcome, w.TickRate, w.SnapshotRate, w.WorldW, w.WorldH)
	}
	size := game.Vec{X: float64(w.WorldW), Y: float64(w.WorldH)}
	pred, err := netcode.NewPredictorWithConfig(netcode.PredictorConfig{Dt: 1 / float64(w.TickRate), Size: size})
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	interp, err := netcode.NewInterpolator(netcode.InterpConfig{TickRate: int(w.TickRate), SnapshotRate: snapRate})
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	return &Match{
		welcome: w, self: w.PlayerID, tickRate: int(w.TickRate), size: size,
		rx: netcode.NewReceiver(snapRate), pred: pred, interp: interp,
		shots: newShots(w.PlayerID, int(w.TickRate), size),
		epoch: now, nextPing: now, seq: lastSeq,
	}, nil
}

// Welcome is the message the session started from.
func (m *Match) Welcome() netcode.Welcome { return m.welcome }

// SelfID is the player's own entity ID.
func (m *Match) SelfID() uint32 { return m.self }

// TickRate is the server's simulation rate.
func (m *Match) TickRate() int { return m.tickRate }

// WorldSize is the arena's size in world units.
func (m *Match) WorldSize() game.Vec { return m.size }

// LastSeq is the newest input sequence number sent.
func (m *Match) LastSeq() uint32 { return m.seq }

// Handle takes one server message that is not a Welcome or an Error (link
// handles those): a snapshot, a Pong or a Board, received at now. A snapshot
// whose baseline is gone (netcode.ErrMissingBaseline) is counted and
// skipped.
func (m *Match) Handle(data []byte, now time.Time) error {
	kind, err := netcode.PeekKind(data)
	if err != nil {
		m.decodeErrors++
		return err
	}
	switch kind {
	case netcode.KindSnapshot:
		return m.snapshot(data, now)
	case netcode.KindPong:
		if err := netcode.DecodePong(data, &m.pong); err != nil {
			m.decodeErrors++
			return err
		}
		m.clock.OnPong(m.pong.ClientTime, m.micros(now), m.pong.ServerTime, m.pong.ServerTick)
		return nil
	case netcode.KindBoard:
		if err := netcode.DecodeBoard(data, &m.board); err != nil {
			m.decodeErrors++
			return err
		}
		return nil
	}
	m.decodeErrors++
	return fmt.Errorf("%w: kind %d", netcode.ErrUnknownKind, kind)
}

func (m *Match) snapshot(data []byte, now time.Time) error {
	// Decoded here rather than by Receive, so that decode errors are
	// counted apart from deltas that do not fit their base.
	if err := netcode.DecodeDelta(data, &m.delta); err != nil {
		m.decodeErrors++
		return err
	}
	m.lastLen = len(data)
	var prevTick uint32
	if cur := m.rx.Latest(); cur != nil {
		m.prev, prevTick = append(m.prev[:0], cur.Entities...), cur.Tick
	} else {
		m.prev = m.prev[:0]
	}
	st, err := m.rx.Apply(&m.delta)
	if err != nil {
		return err
	}
	if m.rx.Stats().Applied > 1 {
		from := len(m.events)
		m.events = diffEvents(m.events, m.prev, st.Entities)
		m.events = ownHits(m.events, m.prev, st.Entities, m.self, st.Tick-prevTick, m.tickRate)
		kept := slices.DeleteFunc(m.events[from:], m.shots.shownGone)
		m.events = m.events[:from+len(kept)]
	}
	i, ok := netcode.FindEntity(st.Entities, m.self)
	var self netcode.Entity
	if ok {
		self = st.Entities[i]
		_, synced := m.pred.Acked()
		before := m.pred.Player().Pos
		if m.pred.Reconcile(st.Entities[i], m.delta.LastSeq) {
			// The tick drawn from moves with the prediction, so that the
			// correction shows only as the offset that decays.
			after := m.pred.Player().Pos
			if synced {
				m.prevPos = m.prevPos.Add(after.Sub(before))
			} else {
				m.prevPos = after
			}
		}
	}
	m.shots.reconcile(st, self, ok, m.delta.LastSeq, now)
	m.interp.Push(st.Tick, st.Entities, now)
	return nil
}

// Events returns what changed in the snapshots applied since the last call,
// oldest first. The slice is reused after the next Handle.
func (m *Match) Events() []Event {
	ev := m.events
	m.events = m.events[:0]
	return ev
}

// NextInput numbers in as the next input to send, predicts it for the own ship
// at now and returns the message, acknowledging the newest snapshot applied.
func (m *Match) NextInput(in game.Input, now time.Time) netcode.Input {
	m.seq++
	if m.seq == 0 { // 0 is never sent
		m.seq++
	}
	m.aim = in.Aim
	m.prevPos, m.tickAt = m.pred.Player().Pos, now
	m.pred.Predict(m.seq, in)
	m.shots.fired = false
	if m.Synced() {
		m.shots.predict(m.seq, m.pred.Player(), in, now)
	}
	ack := m.rx.Ack()
	return netcode.Input{
		Kind: netcode.KindInput, Seq: m.seq, Move: in.Move, Aim: float32(in.Aim),
		Buttons: in.Buttons, Ack: ack, View: m.view(ack, now),
	}
}

// Fired reports whether the input NextInput returned last started a
// predicted shot: the one drawn, so the one to hear, exactly once.
func (m *Match) Fired() bool { return m.shots.fired }

// view is how far behind ack the others are drawn at now, for the server's
// lag compensation: in Input.View's unit, 0 when they are drawn at or past
// it (extrapolated) or nothing is held yet.
func (m *Match) view(ack uint32, now time.Time) uint16 {
	if ack == 0 || m.interp.Len() == 0 {
		return 0
	}
	behind := (float64(ack) - m.interp.RenderTick(now)) * netcode.ViewScale
	return uint16(math.Round(math.Min(math.Max(behind, 0), math.MaxUint16)))
}

// PingDue returns a Ping to send at now, or false when none is due yet.
func (m *Match) PingDue(now time.Time) (netcode.Ping, bool) {
	if now.Before(m.nextPing) {
		return netcode.Ping{}, false
	}
	every := pingSlow
	if !m.clock.Synced() {
		every = pingFast
	}
	m.nextPing = now.Add(every)
	return netcode.Ping{Kind: netcode.KindPing, ClientTime: m.micros(now)}, true
}

func (m *Match) micros(t time.Time) int64 { return t.Sub(m.epoch).Microseconds() }

// Latest is the newest state applied, nil before the first snapshot.
func (m *Match) Latest() *netcode.State { return m.rx.Latest() }

// Self is the own player as the newest snapshot has it.
func (m *Match) Self() (netcode.Entity, bool) { return m.entity(m.self) }

// entity is id's entity in the newest state applied.
func (m *Match) entity(id uint32) (netcode.Entity, bool) {
	if st := m.rx.Latest(); st != nil {
		if i, ok := netcode.FindEntity(st.Entities, id); ok {
			return st.Entities[i], true
		}
	}
	return netcode.Entity{}, false
}

// Synced reports whether the own ship's prediction has taken a server state.
func (m *Match) Synced() bool {
	_, ok := m.pred.Acked()
	return ok
}

// SelfPos is where to draw the own ship in the frame at now: between the
// last two predicted ticks by the fraction of the next tick elapsed, plus
// what is left of the last correction, which decays over frameDt (the time
// since the previous frame; 0 only looks). The prediction itself stays on
// whole ticks.
func (m *Match) SelfPos(now time.Time, frameDt time.Duration) game.Vec {
	cur := m.pred.Player().Pos
	offset := m.pred.RenderPos(frameDt).Sub(cur)
	tick := time.Second / time.Duration(m.tickRate)
	return betweenTicks(m.prevPos, cur, now.Sub(m.tickAt), tick).Add(offset)
}

// SelfAim is the aim of the newest input, so the ship turns with the mouse at
// once.
func (m *Match) SelfAim() float64 { return m.aim }

// SelfVel is the predicted velocity of the own ship.
func (m *Match) SelfVel() game.Vec { return m.pred.Player().Vel }

// Others returns every entity as it should be drawn at now, the own player
// included (callers skip SelfID), and the own shots as they are drawn in
// the present (PROTOCOL.md 7.6) in place of their interpolated copies. The
// slice is reused by the next call.
func (m *Match) Others(now time.Time) []netcode.Interpolated {
	rt := m.interp.RenderTick(now)
	m.frames++
	if newest, ok := m.interp.Newest(); ok && rt > float64(newest) {
		m.extrapolated++
	}
	return m.shots.draw(m.interp.SampleTick(rt), now, m.addEvent)
}

func (m *Match) addEvent(ev Event) { m.events = append(m.events, ev) }

// Board is the newest scoreboard.
func (m *Match) Board() *netcode.Board { return &m.board }

// Name is the name of player id in the newest state, "" if it is not there.
func (m *Match) Name(id uint32) string {
	if e, ok := m.entity(id); ok {
		return e.Name
	}
	for _, b := range m.board.Entries {
		if b.ID == id {
			return b.Name
		}
	}
	return ""
}

// ServerTick estimates the server's tick now: from the clock once synced,
// else the newest snapshot's.
func (m *Match) ServerTick(now time.Time) uint32 {
	if m.clock.Synced() {
		return uint32(m.clock.ServerTickFloat(m.micros(now), m.tickRate))
	}
	return m.rx.Ack()
}

// Stats returns the counters for the HUD.
func (m *Match) Stats() Stats {
	return Stats{
		Snapshots:        m.rx.Stats(),
		DecodeErrors:     m.decodeErrors,
		Corrections:      m.pred.Corrections(),
		LastCorrection:   m.pred.LastCorrection(),
		LifeCorrections:  m.pred.LifeCorrections(),
		PendingInputs:    m.pred.Pending(),
		RTT:              m.clock.RTT(),
		ClockSynced:      m.clock.Synced(),
		InterpDelay:      m.interp.Delay(),
		LastSnapshotLen:  m.lastLen,
		InputDelay:       time.Duration(m.delta.InputDelay) * time.Second / time.Duration(m.tickRate),
		ShotsPredicted:   m.shots.predicted,
		ShotsMatched:     m.shots.matched,
		ShotsDropped:     m.shots.dropped,
		ShotsEndedAtOnce: m.shots.endedAtOnce,
		Frames:           m.frames,
		Extrapolated:     m.extrapolated,
	}
}
