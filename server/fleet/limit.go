package fleet

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxTrackedAddrs bounds the addresses the /match limiter remembers; past
// it, those whose bucket has refilled are forgotten (they lose nothing).
const maxTrackedAddrs = 16384

// addrLimiter is a token bucket per client address.
type addrLimiter struct {
	rate  rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newAddrLimiter(perSecond float64, burst int) *addrLimiter {
	return &addrLimiter{rate: rate.Limit(perSecond), burst: burst, buckets: make(map[string]*rate.Limiter)}
}

func (l *addrLimiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[addr]
	if b == nil {
		if len(l.buckets) >= maxTrackedAddrs {
			l.prune(now)
		}
		b = rate.NewLimiter(l.rate, l.burst)
		if len(l.buckets) < maxTrackedAddrs {
			l.buckets[addr] = b
		}
	}
	return b.AllowN(now, 1)
}

// prune forgets the addresses whose bucket is full again; l.mu is held.
func (l *addrLimiter) prune(now time.Time) {
	for a, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, a)
		}
	}
}
