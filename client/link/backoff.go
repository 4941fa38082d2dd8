package link

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Named defaults for BackoffConfig.
const (
	DefaultBackoffBase   = 500 * time.Millisecond
	DefaultBackoffMax    = 5 * time.Second
	DefaultBackoffJitter = 0.25 // a wait is cut by up to a quarter, never lengthened
)

// BackoffConfig shapes the schedule of waits before each redial: wait n (from
// 0) is Base*2^n capped at Max, then shortened by a random fraction of up to
// Jitter, so that many clients dropped by the same server restart do not
// come back in lockstep. Shortening (rather than spreading both ways) keeps
// every wait at or under Max.
type BackoffConfig struct {
	Base   time.Duration
	Max    time.Duration
	Jitter float64 // 0..1
}

// DefaultBackoffConfig returns 0.5 s doubling up to 5 s with 25% jitter.
func DefaultBackoffConfig() BackoffConfig {
	return BackoffConfig{Base: DefaultBackoffBase, Max: DefaultBackoffMax, Jitter: DefaultBackoffJitter}
}

// Validate reports the first unusable field, wrapping ErrConfig.
func (c BackoffConfig) Validate() error {
	switch {
	case c.Base <= 0:
		return fmt.Errorf("%w: backoff base %v is not positive", ErrConfig, c.Base)
	case c.Max < c.Base:
		return fmt.Errorf("%w: backoff max %v is below base %v", ErrConfig, c.Max, c.Base)
	case !(c.Jitter >= 0 && c.Jitter <= 1):
		return fmt.Errorf("%w: backoff jitter %v outside 0..1", ErrConfig, c.Jitter)
	}
	return nil
}

// backoff hands out the waits of one run of retries. It only computes
// durations; it never sleeps. Not safe for concurrent use.
type backoff struct {
	cfg     BackoffConfig
	rand    func() float64
	attempt int
}

// newBackoff returns a backoff drawing its jitter from rnd, a source of
// numbers in [0, 1); nil means math/rand/v2.
func newBackoff(cfg BackoffConfig, rnd func() float64) (*backoff, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if rnd == nil {
		rnd = rand.Float64
	}
	return &backoff{cfg: cfg, rand: rnd}, nil
}

// next returns the wait before the next retry and counts the attempt.
func (b *backoff) next() time.Duration {
	d := b.ceiling(b.attempt)
	b.attempt++
	return d - time.Duration(float64(d)*b.cfg.Jitter*b.rand())
}

// ceiling is the un-jittered wait before retry n (from 0).
func (b *backoff) ceiling(n int) time.Duration {
	d := b.cfg.Base
	for i := 0; i < n && d < b.cfg.Max; i++ {
		d *= 2
	}
	return min(d, b.cfg.Max)
}

// reset starts over from Base, after a connection that worked.
func (b *backoff) reset() { b.attempt = 0 }
