package engine

import (
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// minInputRing is how many inputs a member's queue has room for before it
// first grows: a client that keeps up has one or two queued at a tick's
// start (the jitter buffer holds it near Config.InputDelay, 1 by default).
const minInputRing = 4

// member is a player of a room, owned by the room's goroutine. It outlives
// its connection by the resume grace.
type member struct {
	id    uint32
	name  string
	token string
	peer  peer      // its connection; nil while dropped
	since time.Time // when dropped

	// Inputs waiting to be applied, drained by take, the jitter buffer: a
	// ring that starts at minInputRing and doubles when full, up to
	// maxInputs (InputQueue), past which queue drops the oldest. A client
	// that keeps up has an input or two queued, so most rings never grow.
	inputs     []queuedInput
	head, n    int
	maxInputs  int
	lastQueued uint32  // newest seq queued
	lastSeq    uint32  // newest seq applied, sent back in each snapshot
	delay      uint16  // ticks lastSeq waited in the queue: the snapshot's InputDelay
	aim        float32 // of the last input applied, kept when the player idles
	jit        jitterPolicy
	ticks      uint32 // takes since the connection attached: the clock inputs are stamped with
	deep       int    // consecutive takes that found the queue deeper than the target
	backlog    int    // ... and deeper than the target plus one

	ack      uint32 // newest snapshot tick the client has acknowledged
	lastSent uint32 // newest snapshot tick sent to the client
	views    *viewRing
	behind   time.Time // since when the send queue has been over its cap; zero = keeping up
}

func newMember(id uint32, name, token string, cfg Config, views int) *member {
	return &member{
		id:        id,
		name:      name,
		token:     token,
		inputs:    make([]queuedInput, min(minInputRing, cfg.InputQueue)),
		maxInputs: cfg.InputQueue,
		jit:       newJitterPolicy(cfg),
		views:     newViewRing(views, cfg.ticksPerSnapshot()),
	}
}

// attach gives the member a (new) connection: everything the previous one
// had acknowledged or numbered is forgotten, so the next snapshot is full
// and the new connection may number its inputs from 1 again. Only
// room.attach calls it.
func (m *member) attach(p peer) {
	m.peer = p
	m.clearInputs()
	m.lastQueued, m.lastSeq, m.delay = 0, 0, 0
	m.ack, m.lastSent = 0, 0
	m.views.reset()
	m.behind = time.Time{}
}

// clearInputs forgets the queued inputs and what the jitter buffer measured
// of them, for a connection that is gone or new.
func (m *member) clearInputs() {
	m.head, m.n = 0, 0
	m.ticks, m.deep, m.backlog = 0, 0, 0
}

// queue adds an input and reports how many inputs it dropped: a stale or
// repeated seq (in serial order, so numbering may wrap) is dropped, and a
// full queue drops its oldest input, because the newest is what the player
// wants now. The dropped input's fire press moves to the one behind it, so
// a press is never lost.
func (m *member) queue(in netcode.Input) (dropped int) {
	if m.lastQueued != 0 && !netcode.SeqNewer(in.Seq, m.lastQueued) {
		return 1
	}
	m.lastQueued = in.Seq
	if m.n == len(m.inputs) && m.n < m.maxInputs {
		m.growInputs()
	}
	if m.n == len(m.inputs) {
		old, _ := m.pop()
		if m.n > 0 {
			m.inputs[m.head].in.Buttons |= old.in.Buttons
		} else {
			in.Buttons |= old.in.Buttons // InputQueue 1
		}
		dropped = 1
	}
	m.inputs[(m.head+m.n)%len(m.inputs)] = queuedInput{in: in, at: m.ticks}
	m.n++
	return dropped
}

// growInputs doubles the input ring, up to maxInputs, keeping its inputs in
// order.
func (m *member) growInputs() {
	grown := make([]queuedInput, min(2*len(m.inputs), m.maxInputs))
	for i := range m.n {
		grown[i] = m.inputs[(m.head+i)%len(m.inputs)]
	}
	m.inputs, m.head = grown, 0
}

// next takes the oldest queued input, without the jitter buffer's policy.
func (m *member) next() (netcode.Input, bool) {
	q, ok := m.pop()
	return q.in, ok
}

func (m *member) pop() (queuedInput, bool) {
	if m.n == 0 {
		return queuedInput{}, false
	}
	q := m.inputs[m.head]
	m.head = (m.head + 1) % len(m.inputs)
	m.n--
	return q, true
}

// acknowledge records the client's ack. It reports false for an ack of a
// tick not sent yet, which no honest client sends; an ack of a snapshot that
// was skipped or has left the ring, or one older than the current ack, is
// ignored.
func (m *member) acknowledge(tick uint32) bool {
	switch {
	case tick == 0 || m.ack != 0 && !netcode.SeqNewer(tick, m.ack):
		return true
	case m.lastSent == 0 || netcode.SeqNewer(tick, m.lastSent):
		return false
	case m.views.sent(tick):
		m.ack = tick
		m.views.release(tick)
	}
	return true
}
