package bot

import (
	"time"

	"github.com/skirmish-game/skirmish/bench/stats"
)

// Totals is what a Recorder holds at the end of a run, as plain values: a
// worker of a distributed run sends it, and the coordinator adds every
// worker's into one Recorder (AddTotals) that reads as if one process had
// run all the bots. The maxima are exact, each taken once (TakeMax).
type Totals struct {
	Connect    stats.Counts  `json:"connect"`
	ConnectMax time.Duration `json:"connect_max"`
	RTT        stats.Counts  `json:"rtt"`
	RTTMax     time.Duration `json:"rtt_max"`

	Welcomed          uint64 `json:"welcomed"`
	SnapshotsReceived uint64 `json:"snapshots_received"`
	ObserverSnapshots uint64 `json:"observer_snapshots"`
	SnapshotsApplied  uint64 `json:"snapshots_applied"`
	SnapshotsAcked    uint64 `json:"snapshots_acked"`
	Errors            uint64 `json:"errors"`
	Rematches         uint64 `json:"rematches"`
	TickRate          uint32 `json:"tick_rate"`
	SnapshotRate      uint32 `json:"snapshot_rate"`

	ErrorKinds  map[string]uint64 `json:"error_kinds"`
	FirstErrors map[string]string `json:"first_errors"`
	CloseCodes  map[uint16]uint64 `json:"close_codes"`
}

// Totals takes r's totals; it takes the connect and round-trip maxima, so
// call it once, at the end.
func (r *Recorder) Totals() Totals {
	return Totals{
		Connect: r.Connect.Snapshot(nil), ConnectMax: r.Connect.TakeMax(),
		RTT: r.RTT.Snapshot(nil), RTTMax: r.RTT.TakeMax(),
		Welcomed:          r.Welcomed.Load(),
		SnapshotsReceived: r.SnapshotsReceived.Load(),
		ObserverSnapshots: r.ObserverSnapshots.Load(),
		SnapshotsApplied:  r.SnapshotsApplied.Load(),
		SnapshotsAcked:    r.SnapshotsAcked.Load(),
		Errors:            r.Errors.Load(),
		Rematches:         r.Rematches.Load(),
		TickRate:          r.TickRate.Load(),
		SnapshotRate:      r.SnapshotRate.Load(),
		ErrorKinds:        r.ErrorKinds(),
		FirstErrors:       r.FirstErrors(),
		CloseCodes:        r.CloseCodes(),
	}
}

// AddTotals adds another recorder's totals to r: counts and histograms add
// up, the rates are taken from the first that knows them, and the first
// error of each kind is kept.
func (r *Recorder) AddTotals(t Totals) error {
	if err := r.Connect.Merge(t.Connect, t.ConnectMax); err != nil {
		return err
	}
	if err := r.RTT.Merge(t.RTT, t.RTTMax); err != nil {
		return err
	}
	r.Welcomed.Add(t.Welcomed)
	r.SnapshotsReceived.Add(t.SnapshotsReceived)
	r.ObserverSnapshots.Add(t.ObserverSnapshots)
	r.SnapshotsApplied.Add(t.SnapshotsApplied)
	r.SnapshotsAcked.Add(t.SnapshotsAcked)
	r.Errors.Add(t.Errors)
	r.Rematches.Add(t.Rematches)
	r.TickRate.CompareAndSwap(0, t.TickRate)
	r.SnapshotRate.CompareAndSwap(0, t.SnapshotRate)
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, n := range t.ErrorKinds {
		r.errorKinds[k] += n
	}
	for k, s := range t.FirstErrors {
		if _, ok := r.firstErrors[k]; !ok {
			r.firstErrors[k] = s
		}
	}
	for c, n := range t.CloseCodes {
		r.closeCodes[c] += n
	}
	return nil
}
