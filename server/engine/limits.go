package engine

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ipLimiter counts open WebSocket connections per client address and how
// fast each address opens new ones. It is touched on connect and disconnect
// only, never per message.
type ipLimiter struct {
	max   int
	mu    sync.Mutex
	conns map[string]int
	rate  *ipBuckets
}

func newIPLimiter(max int, perSecond float64, burst int) *ipLimiter {
	return &ipLimiter{max: max, conns: make(map[string]int), rate: newIPBuckets(rate.Limit(perSecond), burst)}
}

// acquire counts one more connection from ip and reports whether it is within
// the limit. Every acquire, allowed or not, is paired with a release, so a
// refused connection can still be upgraded to be told why.
func (l *ipLimiter) acquire(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.conns[ip]++
	return l.conns[ip] <= l.max
}

func (l *ipLimiter) release(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conns[ip] <= 1 {
		delete(l.conns, ip)
		return
	}
	l.conns[ip]--
}

// ipBuckets is a token bucket per address, for things an address may do so
// many times per second or minute. An address's bucket is forgotten once it
// has refilled: a full bucket and a missing one are the same, so the map
// holds only addresses active within the last burst/rate, however many
// addresses come and go.
type ipBuckets struct {
	limit rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	lastSweep time.Time
}

func newIPBuckets(limit rate.Limit, burst int) *ipBuckets {
	return &ipBuckets{limit: limit, burst: burst, buckets: make(map[string]*rate.Limiter)}
}

// allow takes one token from ip's bucket at now, if it has one.
func (b *ipBuckets) allow(ip string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if refill := time.Duration(float64(b.burst) / float64(b.limit) * float64(time.Second)); now.Sub(b.lastSweep) > refill {
		b.lastSweep = now
		for k, l := range b.buckets {
			if l.TokensAt(now) >= float64(b.burst) {
				delete(b.buckets, k)
			}
		}
	}
	l := b.buckets[ip]
	if l == nil {
		l = rate.NewLimiter(b.limit, b.burst)
		b.buckets[ip] = l
	}
	return l.AllowN(now, 1)
}

// size is how many addresses have a bucket (tests).
func (b *ipBuckets) size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buckets)
}

// newMessageLimiter is one connection's token bucket over every message it
// sends. A client sends about one input per tick and a ping now and then; by
// default the bucket refills at twice the tick rate and holds
// InputBurstWindow of that rate. The bucket can only charge a message when
// the reader reads it, and a read that comes late (a server whose core was
// full, a network that held the client's packets back) finds all that the
// client sent meanwhile: a connection cannot tell a client that was silent
// and then sent a burst from one whose messages waited, in the kernel or on
// the way, for the server. The burst is therefore what decides how late an
// honest client may be read before the limit takes it for a flood: at half
// the rate, twice the window. A flood still empties the bucket at the
// difference between its rate and the refill, and whatever burst it is
// allowed costs a decode each: inputs past a player's queue are dropped.
func newMessageLimiter(c Config) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(c.InputRate), c.InputBurst)
}
