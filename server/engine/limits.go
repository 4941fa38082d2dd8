package engine

import (
	"net"
	"sync"

	"golang.org/x/time/rate"
)

// ipLimiter counts open WebSocket connections per remote IP. It is touched on
// connect and disconnect only, never per message.
type ipLimiter struct {
	max   int
	mu    sync.Mutex
	conns map[string]int
}

func newIPLimiter(max int) *ipLimiter {
	return &ipLimiter{max: max, conns: make(map[string]int)}
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

// remoteIP is the host part of addr. Proxies are not trusted: behind one,
// every client would share its address, so run the server at the edge or raise
// MaxConnsPerIP.
func remoteIP(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}

// newMessageLimiter is one connection's token bucket over every message it
// sends. A client sends about one input per tick and a ping now and then, so
// by default the bucket refills at twice the tick rate and holds two seconds
// of inputs: it trips on a flood, not on a network hiccup that delivers a
// backlog of inputs at once.
func newMessageLimiter(c Config) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(c.inputRate()), c.inputBurst())
}
