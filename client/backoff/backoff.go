package backoff

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Named defaults for Config.
const (
	DefaultBase   = 500 * time.Millisecond
	DefaultMax    = 5 * time.Second
	DefaultJitter = 0.25 // a wait is cut by up to a quarter, never lengthened
)

// ErrConfig is wrapped by every error Validate returns.
var ErrConfig = errors.New("backoff: invalid config")

// Config shapes the schedule: wait n (from 0) is Base*2^n capped at Max, then
// shortened by a random fraction of up to Jitter. Shortening (rather than
// spreading both ways) keeps every wait at or under Max.
type Config struct {
	Base   time.Duration
	Max    time.Duration
	Jitter float64 // 0..1
}

// DefaultConfig returns 0.5 s doubling up to 5 s with 25% jitter.
func DefaultConfig() Config {
	return Config{Base: DefaultBase, Max: DefaultMax, Jitter: DefaultJitter}
}

// Validate reports the first unusable field.
func (c Config) Validate() error {
	switch {
	case c.Base <= 0:
		return fmt.Errorf("%w: base %v is not positive", ErrConfig, c.Base)
	case c.Max < c.Base:
		return fmt.Errorf("%w: max %v is below base %v", ErrConfig, c.Max, c.Base)
	case !(c.Jitter >= 0 && c.Jitter <= 1):
		return fmt.Errorf("%w: jitter %v outside 0..1", ErrConfig, c.Jitter)
	}
	return nil
}

// Backoff hands out the waits of one run of retries. Not safe for concurrent
// use.
type Backoff struct {
	cfg     Config
	rand    func() float64
	attempt int
}

// New returns a Backoff drawing its jitter from rnd, a source of numbers in
// [0, 1); nil means math/rand/v2.
func New(cfg Config, rnd func() float64) (*Backoff, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if rnd == nil {
		rnd = rand.Float64
	}
	return &Backoff{cfg: cfg, rand: rnd}, nil
}

// Next returns the wait before the next retry and counts the attempt.
func (b *Backoff) Next() time.Duration {
	d := b.Ceiling(b.attempt)
	b.attempt++
	return d - time.Duration(float64(d)*b.cfg.Jitter*b.rand())
}

// Ceiling is the un-jittered wait before retry n (from 0).
func (b *Backoff) Ceiling(n int) time.Duration {
	d := b.cfg.Base
	for i := 0; i < n && d < b.cfg.Max; i++ {
		d *= 2
	}
	return min(d, b.cfg.Max)
}

// Attempt counts the waits handed out since the last Reset.
func (b *Backoff) Attempt() int { return b.attempt }

// Reset starts over from Base, after a connection that worked.
func (b *Backoff) Reset() { b.attempt = 0 }
