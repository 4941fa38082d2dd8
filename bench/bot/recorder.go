package bot

import (
	"maps"
	"sync"
	"sync/atomic"

	"github.com/skirmish-game/skirmish/bench/stats"
)

// Error kinds a Recorder counts. Each is one failure of one bot.
const (
	ErrKindConnect  = "connect"  // dial or WebSocket handshake failed
	ErrKindWelcome  = "welcome"  // no Welcome within the connect timeout
	ErrKindDecode   = "decode"   // a server message did not decode
	ErrKindBaseline = "baseline" // a delta named a baseline the bot does not hold
	ErrKindApply    = "apply"    // netcode.ApplyInto rejected a delta for the held baseline
	ErrKindWrite    = "write"    // sending a message failed
	ErrKindClosed   = "closed"   // the server closed a live connection
	ErrKindProtocol = "protocol" // an unexpected message kind
	ErrKindMatch    = "match"    // POST /match gave no seat
)

// Recorder is what every bot of a swarm records into. All fields are safe for
// concurrent use; the hot path is atomic adds only.
type Recorder struct {
	Latency  stats.Histogram // input sent -> a snapshot whose LastSeq covers it
	Interval stats.Histogram // between consecutive snapshots of one bot
	Connect  stats.Histogram // dial start -> Welcome decoded
	RTT      stats.Histogram // ping -> pong

	Connected         atomic.Int64 // bots welcomed and not closed
	Welcomed          atomic.Uint64
	SnapshotsReceived atomic.Uint64 // by every bot
	// Observers counts the observer bots live now (welcomed, not closed);
	// ObserverSnapshots is what they received and SnapshotsApplied what they
	// applied in full. Lean bots read only each snapshot's head.
	Observers         atomic.Int64
	ObserverSnapshots atomic.Uint64
	SnapshotsApplied  atomic.Uint64
	// SnapshotsAcked counts the snapshots every bot took and acked: applied
	// by an observer, or checked by a lean bot's head.
	SnapshotsAcked atomic.Uint64
	// TicksMissed counts snapshot ticks that never reached a bot: the
	// server skipped them (catch-up after a late tick, a full send queue).
	// Late delivery shows in Interval instead.
	TicksMissed       atomic.Uint64
	InputsSent        atomic.Uint64
	MsgsIn, MsgsOut   atomic.Uint64
	BytesIn, BytesOut atomic.Uint64 // WebSocket frame bytes, headers included
	Errors            atomic.Uint64
	// Rematches counts the bots seated again after their server drained
	// or died (swarm, with Config.Match).
	Rematches atomic.Uint64

	// TickRate and SnapshotRate are the server's, from the first Welcome;
	// SnapshotRate is Welcome.SnapshotsPerSecond, never the wire's 0.
	TickRate, SnapshotRate atomic.Uint32

	mu          sync.Mutex
	errorKinds  map[string]uint64
	firstErrors map[string]string // the first error of each kind, for diagnosis
	closeCodes  map[uint16]uint64
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{errorKinds: map[string]uint64{}, firstErrors: map[string]string{}, closeCodes: map[uint16]uint64{}}
}

// fail counts one error of the given kind; the first of each kind is kept.
func (r *Recorder) fail(kind string, err error) {
	r.Errors.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errorKinds[kind]++
	if _, ok := r.firstErrors[kind]; !ok && err != nil {
		r.firstErrors[kind] = err.Error()
	}
}

// FirstErrors returns the first error message of each kind seen.
func (r *Recorder) FirstErrors() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.firstErrors)
}

// closed counts a server-initiated close by its code.
func (r *Recorder) closed(code uint16) {
	r.mu.Lock()
	r.closeCodes[code]++
	r.mu.Unlock()
}

// ErrorKinds returns a copy of the error counts by kind.
func (r *Recorder) ErrorKinds() map[string]uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.errorKinds)
}

// CloseCodes returns a copy of the counts of unexpected closes by code.
func (r *Recorder) CloseCodes() map[uint16]uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.closeCodes)
}
