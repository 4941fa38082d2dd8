package dist

import (
	"encoding/json"
	"time"
)

// Subjects. A run's own subjects are under SubjectPrefix + "." + run ID, so
// that workers of other runs on the same NATS server ignore them.
const (
	SubjectPrefix   = "skirmish.bench"
	SubjectAnnounce = SubjectPrefix + ".announce"
)

func subject(run, what string) string { return SubjectPrefix + "." + run + "." + what }

// Announce offers a run to idle workers, repeated until enough joined.
type Announce struct {
	Run     string          `json:"run"`
	Workers int             `json:"workers"`
	Plan    json.RawMessage `json:"plan"`
}

// Join is a worker's request for a share of a run; JoinReply answers it.
type Join struct {
	Worker string `json:"worker"` // host and pid, for the coordinator's log
}

// JoinReply gives an accepted worker its share: Index of Of.
type JoinReply struct {
	Accepted bool `json:"accepted"`
	Index    int  `json:"index"`
	Of       int  `json:"of"`
}

// Ready says a worker has set its share up (or could not, with Err).
type Ready struct {
	Index int    `json:"index"`
	Err   string `json:"err,omitempty"`
}

// Start names the moment every worker starts its bots; Abort instead ends
// the run.
type Start struct {
	At    time.Time `json:"at"`
	Abort string    `json:"abort,omitempty"`
}

// Sample is one of a worker's once-a-second samples: Seq 0 at the start
// time, Seq k k seconds after it.
type Sample struct {
	Index int             `json:"index"`
	Seq   int             `json:"seq"`
	Data  json.RawMessage `json:"data"`
}

// Result is a worker's last word, after the coordinator's stop.
type Result struct {
	Index int             `json:"index"`
	Data  json.RawMessage `json:"data,omitempty"`
	Err   string          `json:"err,omitempty"`
}
