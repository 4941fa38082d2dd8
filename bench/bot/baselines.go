package bot

import (
	"fmt"

	"github.com/skirmish-game/skirmish/netcode"
)

// maxHeld bounds the applied states a bot keeps as possible baselines. The
// server deltas against the newest ack it has received, and acks go out in
// order, so once a delta names baseline B no later delta names anything
// older: the bot drops states before B and in practice holds a handful. The
// bound matters only while the server lags in reading acks; it is two
// seconds of snapshots at 30 Hz, twice the server's history ring, so a bot
// never drops a state the server may still name (memory: at most
// maxHeld x view size per bot).
const maxHeld = 64

// baselines holds the states a bot has applied, oldest first, recycling their
// entity slices so that steady-state applies do not allocate.
type baselines struct {
	held []*netcode.State // ascending by Tick
	free []*netcode.State
}

// find returns the held state at tick, or nil.
func (bs *baselines) find(tick uint32) *netcode.State {
	for i := len(bs.held) - 1; i >= 0; i-- {
		if bs.held[i].Tick == tick {
			return bs.held[i]
		}
	}
	return nil
}

// newest returns the most recently applied state, or nil.
func (bs *baselines) newest() *netcode.State {
	if len(bs.held) == 0 {
		return nil
	}
	return bs.held[len(bs.held)-1]
}

// describe names the held ticks, for an error message.
func (bs *baselines) describe() string {
	if len(bs.held) == 0 {
		return "none held"
	}
	return fmt.Sprintf("%d held, ticks %d..%d", len(bs.held), bs.held[0].Tick, bs.newest().Tick)
}

// alloc returns a state to apply into; it is not held until push.
func (bs *baselines) alloc() *netcode.State {
	if n := len(bs.free); n > 0 {
		s := bs.free[n-1]
		bs.free = bs.free[:n-1]
		return s
	}
	return &netcode.State{}
}

// release gives back a state from alloc that was not pushed.
func (bs *baselines) release(s *netcode.State) { bs.free = append(bs.free, s) }

// push holds s (whose Tick is newer than every held one) and drops the states
// older than keepFrom, which the server will not name again. keepFrom 0 keeps
// everything up to maxHeld.
func (bs *baselines) push(s *netcode.State, keepFrom uint32) {
	drop := 0
	for drop < len(bs.held) && bs.held[drop].Tick < keepFrom {
		drop++
	}
	if over := len(bs.held) - drop + 1 - maxHeld; over > 0 {
		drop += over
	}
	bs.free = append(bs.free, bs.held[:drop]...)
	bs.held = append(bs.held[:0], bs.held[drop:]...)
	bs.held = append(bs.held, s)
}
