package engine

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

const (
	// fanOutMin is how many clients each snapshot worker must have for a
	// room to fan out: below it, waking a worker costs about what it saves,
	// so small rooms keep the whole snapshot on the room goroutine.
	fanOutMin = 64
	// fanOutBatch is how many members a worker claims at a time. Claiming
	// as it goes, rather than each worker taking a fixed share, keeps a
	// worker that was descheduled or drew the crowded views from holding
	// up the tick while the others sit idle.
	fanOutBatch = 16
)

// snapScratch is what the per-client snapshot work writes that is not the
// member's own: its encoding cache and buffers. Each worker has one, so
// workers share nothing they write. The cache is per worker rather than
// shared: a shared one would need a lock or atomics on every lookup, while
// per worker an entity's change is encoded once per worker instead of once
// per room, a few hundred encodings per tick against some 200,000 lookups
// (BenchmarkRoomTick, 1,000 clients).
type snapScratch struct {
	enc     encCache
	body    []byte   // a snapshot's changes and removals, headRoom bytes in
	head    []byte   // a snapshot's head
	removed []uint32 // a snapshot's removals
	acked   bitset   // the acked view, translated to the current frame's indices
	buf     []byte   // the frame, when its head is too big for headRoom
	_       [64]byte // keeps the slice headers the worker rewrites per client off its neighbour's cache line
}

// fanOut is a room's pool of snapshot workers: helper goroutines started
// the first time the room is big enough to need them, parked on their start
// channel between ticks, and ended with the room. The room goroutine is a
// worker too (scratch[0]), so a tick with n workers wakes n-1 helpers.
type fanOut struct {
	procs   int // workers at most; 0 means GOMAXPROCS (tests set it)
	share   int // clients per worker at least; 0 means fanOutMin (tests set it)
	scratch []snapScratch
	start   []chan struct{} // one per helper: helper i works with scratch[i+1]
	wg      sync.WaitGroup

	// The job of the current tick, written before the helpers are woken
	// and read by them: the channel send orders the two.
	job    snapJob
	next   atomic.Int64 // index of the next member to claim
	panics []any        // by worker: what a helper's work panicked with
}

// workers is how many workers a snapshot for the given number of clients
// uses.
func (fo *fanOut) workers(clients int) int {
	procs := fo.procs
	if procs <= 0 {
		procs = runtime.GOMAXPROCS(0)
	}
	share := fanOutMin
	if fo.share > 0 {
		share = fo.share
	}
	return max(1, min(procs, clients/share))
}

// grow makes sure n workers exist, starting the missing helpers.
func (fo *fanOut) grow(r *room, n int) {
	for len(fo.scratch) < n {
		fo.scratch = append(fo.scratch, snapScratch{})
		fo.panics = append(fo.panics, nil)
	}
	for len(fo.start) < n-1 {
		c := make(chan struct{}, 1)
		fo.start = append(fo.start, c)
		go r.helper(c, len(fo.start))
	}
}

// stop ends the helpers; the room goroutine calls it when the room ends,
// never during a snapshot.
func (fo *fanOut) stop() {
	for _, c := range fo.start {
		close(c)
	}
	fo.start = nil
}

// helper is a snapshot worker goroutine, working with scratch[w].
func (r *room) helper(start <-chan struct{}, w int) {
	for range start {
		r.helpShare(w)
	}
}

// helpShare does one tick's share of the work for helper w. A panic is
// handed to the room goroutine, which re-raises it after the tick, so that
// it closes the room as one on the room goroutine would, not the process.
func (r *room) helpShare(w int) {
	fo := &r.fan
	defer fo.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			fo.panics[w] = fmt.Sprintf("%v (snapshot worker %d)\n%s", p, w, debug.Stack())
		}
	}()
	r.serveShare(&fo.scratch[w], &fo.job)
}

// serveAll serves each client its part of j, on n workers (n >= 1). It
// returns once every client's frames are handed to its connection; each
// client's go out as soon as they are encoded, so no client's frames wait
// for another's beyond the tick.
func (r *room) serveAll(j snapJob, n int) {
	fo := &r.fan
	fo.grow(r, n)
	fo.next.Store(0)
	fo.job = j
	defer func() { fo.job = snapJob{} }()
	if n == 1 {
		r.serveShare(&fo.scratch[0], &fo.job)
		return
	}
	fo.wg.Add(n - 1)
	for _, c := range fo.start[:n-1] {
		c <- struct{}{}
	}
	// The helpers use the members and the frame until they are done, so
	// even a panic here waits for them before it unwinds into room.catch.
	var own any
	func() {
		defer func() { own = recover() }()
		r.serveShare(&fo.scratch[0], &fo.job)
	}()
	fo.wg.Wait()
	p := own
	for w, hp := range fo.panics {
		if p == nil {
			p = hp
		}
		fo.panics[w] = nil
	}
	if p != nil {
		panic(p)
	}
}

// serveShare claims members in batches until none are left, and serves each
// its part of j using s. With one worker it is the whole snapshot.
func (r *room) serveShare(s *snapScratch, j *snapJob) {
	s.enc.reset(j.f)
	fo := &r.fan
	for {
		i := int(fo.next.Add(fanOutBatch)) - fanOutBatch
		if i >= len(r.members) {
			return
		}
		for _, m := range r.members[i:min(i+fanOutBatch, len(r.members))] {
			r.serve(s, m, j)
		}
	}
}
