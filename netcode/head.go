package netcode

// SnapshotHead is the start of a snapshot message: what a client needs to
// acknowledge it and to time its inputs, without its entities.
type SnapshotHead struct {
	Tick     uint32
	Baseline uint32 // 0: a full snapshot
	LastSeq  uint32
	// InputDelay is Delta.InputDelay: ticks input LastSeq waited in the
	// server's queue.
	InputDelay uint16
	Changes    int // entity changes that follow, at most MaxEntities
}

// DecodeSnapshotHead reads a snapshot message's kind, tick, baseline, last
// input seq, input delay and the count of its changes, and stops there: it costs the same
// whatever the snapshot holds. It is for load bots that must speak the
// protocol at scale without building the world; it does not check the
// changes or the removed IDs, so a client that applies snapshots uses
// DecodeDelta. The head's checks are DecodeDelta's.
func DecodeSnapshotHead(data []byte, h *SnapshotHead) error {
	r := reader{b: data}
	if err := r.array("snapshot", snapshotLen); err != nil {
		return err
	}
	if err := r.kind(KindSnapshot); err != nil {
		return err
	}
	var m SnapshotHead
	var err error
	if m.Tick, err = r.uint32("snapshot tick"); err != nil {
		return err
	}
	if m.Baseline, err = r.uint32("snapshot baseline"); err != nil {
		return err
	}
	if m.LastSeq, err = r.uint32("snapshot last seq"); err != nil {
		return err
	}
	if m.InputDelay, err = r.uint16("snapshot input delay"); err != nil {
		return err
	}
	// The same bound as DecodeDelta's: an entity delta takes at least 4 bytes.
	if m.Changes, err = r.arrayLen("snapshot changes", MaxEntities, 4); err != nil {
		return err
	}
	*h = m
	return nil
}
