package engine

import (
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// member is a player of a room, owned by the room's goroutine. It outlives
// its connection by the resume grace.
type member struct {
	id    uint32
	name  string
	token string
	peer  peer      // its connection; nil while dropped
	since time.Time // when dropped

	// Inputs waiting to be applied, one per tick: a ring of cap InputQueue.
	inputs     []netcode.Input
	head, n    int
	lastQueued uint32  // newest seq queued
	lastSeq    uint32  // newest seq applied, sent back in each snapshot
	aim        float32 // of the last input applied, kept when the player idles

	ack      uint32 // newest snapshot tick the client has acknowledged
	lastSent uint32 // newest snapshot tick sent to the client
	views    *viewRing
	behind   time.Time // since when the send queue has been over its cap; zero = keeping up
}

func newMember(id uint32, name, token string, cfg Config, views int) *member {
	return &member{
		id:     id,
		name:   name,
		token:  token,
		inputs: make([]netcode.Input, cfg.InputQueue),
		views:  newViewRing(views, cfg.ticksPerSnapshot()),
	}
}

// attach gives the member a (new) connection: everything the previous one
// had acknowledged or numbered is forgotten, so the next snapshot is full
// and the new connection may number its inputs from 1 again. Only
// room.attach calls it.
func (m *member) attach(p peer) {
	m.peer = p
	m.head, m.n = 0, 0
	m.lastQueued, m.lastSeq = 0, 0
	m.ack, m.lastSent = 0, 0
	m.views.reset()
	m.behind = time.Time{}
}

// queue adds an input and reports how many inputs it dropped: a stale or
// repeated seq (in serial order, so numbering may wrap) is dropped, and a full queue drops its oldest input, because
// the newest is what the player wants now.
func (m *member) queue(in netcode.Input) (dropped int) {
	if m.lastQueued != 0 && !netcode.SeqNewer(in.Seq, m.lastQueued) {
		return 1
	}
	m.lastQueued = in.Seq
	if m.n == len(m.inputs) {
		m.head = (m.head + 1) % len(m.inputs)
		m.n--
		dropped = 1
	}
	m.inputs[(m.head+m.n)%len(m.inputs)] = in
	m.n++
	return dropped
}

// next takes the oldest queued input.
func (m *member) next() (netcode.Input, bool) {
	if m.n == 0 {
		return netcode.Input{}, false
	}
	in := m.inputs[m.head]
	m.head = (m.head + 1) % len(m.inputs)
	m.n--
	return in, true
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
	}
	return true
}
