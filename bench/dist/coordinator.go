package dist

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

// Named defaults and timings.
const (
	// DefaultJoinTimeout bounds the wait for every worker to join and be
	// ready: workers being started by hand on other machines take a while.
	DefaultJoinTimeout = 60 * time.Second
	// StartLead is how far ahead of the start message the start time is, so
	// that every worker hears it before it passes (their clocks, NTP-synced,
	// agree far better than that).
	StartLead = time.Second
	// announceEvery is how often the announcement is repeated while
	// workers are missing: one that starts later still hears it.
	announceEvery = 250 * time.Millisecond
	// samplesPerWorker bounds the samples waiting for the coordinator, per
	// worker: past it they are dropped and counted, and the run fails.
	samplesPerWorker = 32
)

// ErrDropped: samples arrived faster than the coordinator read them.
var ErrDropped = errors.New("dist: samples dropped")

// Coordinator is one distributed run, from the announcement to the results.
type Coordinator struct {
	nc  *nats.Conn
	log *slog.Logger
	run string
	n   int

	mu     sync.Mutex
	joined int
	subs   []*nats.Subscription

	ready   chan Ready
	samples chan Sample
	results chan Result
	dropped atomic.Uint64
}

// Gather announces a run of n workers carrying plan (JSON) and returns once
// n of them have joined and said they are ready, or fails after timeout (0:
// DefaultJoinTimeout). Close the Coordinator when done.
func Gather(ctx context.Context, nc *nats.Conn, n int, plan any, timeout time.Duration, log *slog.Logger) (*Coordinator, error) {
	if n <= 0 {
		return nil, fmt.Errorf("dist: %d workers", n)
	}
	if timeout <= 0 {
		timeout = DefaultJoinTimeout
	}
	raw, err := json.Marshal(plan)
	if err != nil {
		return nil, fmt.Errorf("dist: plan: %w", err)
	}
	c := &Coordinator{
		nc: nc, log: log, run: newRunID(), n: n,
		ready:   make(chan Ready, n),
		samples: make(chan Sample, n*samplesPerWorker),
		results: make(chan Result, n),
	}
	if err := c.subscribe(); err != nil {
		c.Close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := c.announce(ctx, raw); err != nil {
		c.Abort(err.Error())
		c.Close()
		return nil, err
	}
	for got := 0; got < n; got++ {
		select {
		case r := <-c.ready:
			if r.Err != "" {
				err := fmt.Errorf("dist: worker %d could not set up: %s", r.Index, r.Err)
				c.Abort(err.Error())
				c.Close()
				return nil, err
			}
		case <-ctx.Done():
			err := fmt.Errorf("dist: %d of %d workers ready: %w", got, n, ctx.Err())
			c.Abort(err.Error())
			c.Close()
			return nil, err
		}
	}
	log.Info("workers ready", "run", c.run, "workers", n)
	return c, nil
}

func newRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// Run is the run's ID.
func (c *Coordinator) Run() string { return c.run }

// subscribe listens for joins, readies, samples and results before anyone
// is told of the run.
func (c *Coordinator) subscribe() error {
	handlers := []struct {
		what string
		cb   nats.MsgHandler
	}{
		{"join", c.onJoin},
		{"ready", func(m *nats.Msg) { deliver(m, c.ready, &c.dropped) }},
		{"sample", func(m *nats.Msg) { deliver(m, c.samples, &c.dropped) }},
		{"result", func(m *nats.Msg) { deliver(m, c.results, &c.dropped) }},
	}
	for _, h := range handlers {
		s, err := c.nc.Subscribe(subject(c.run, h.what), h.cb)
		if err != nil {
			return fmt.Errorf("dist: subscribe: %w", err)
		}
		c.mu.Lock()
		c.subs = append(c.subs, s)
		c.mu.Unlock()
	}
	return c.nc.Flush()
}

// deliver decodes one message into ch without blocking NATS's dispatcher:
// a full channel, or a message that does not decode, counts as dropped.
func deliver[T any](m *nats.Msg, ch chan T, dropped *atomic.Uint64) {
	var v T
	if json.Unmarshal(m.Data, &v) != nil {
		dropped.Add(1)
		return
	}
	select {
	case ch <- v:
	default:
		dropped.Add(1)
	}
}

// onJoin seats the first n workers that ask, in the order they asked.
func (c *Coordinator) onJoin(m *nats.Msg) {
	var j Join
	_ = json.Unmarshal(m.Data, &j) // the name is only logged
	c.mu.Lock()
	reply := JoinReply{Of: c.n}
	if c.joined < c.n {
		reply.Accepted, reply.Index = true, c.joined
		c.joined++
	}
	c.mu.Unlock()
	data, _ := json.Marshal(reply) // a struct of plain fields always marshals
	if err := m.Respond(data); err != nil {
		c.log.Warn("join reply", "worker", j.Worker, "err", err)
		return
	}
	if reply.Accepted {
		c.log.Info("worker joined", "run", c.run, "worker", j.Worker, "index", reply.Index, "of", c.n)
	}
}

// announce repeats the announcement until n workers joined.
func (c *Coordinator) announce(ctx context.Context, plan json.RawMessage) error {
	data, err := json.Marshal(Announce{Run: c.run, Workers: c.n, Plan: plan})
	if err != nil {
		return fmt.Errorf("dist: announce: %w", err)
	}
	t := time.NewTicker(announceEvery)
	defer t.Stop()
	for {
		c.mu.Lock()
		joined := c.joined
		c.mu.Unlock()
		if joined >= c.n {
			return nil
		}
		if err := c.nc.Publish(SubjectAnnounce, data); err != nil {
			return fmt.Errorf("dist: announce: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("dist: %d of %d workers joined: %w", joined, c.n, ctx.Err())
		case <-t.C:
		}
	}
}

// Start tells every worker to start StartLead from now, and returns when.
func (c *Coordinator) Start() (time.Time, error) {
	at := time.Now().Add(StartLead)
	return at, c.publish("start", Start{At: at})
}

// Abort tells the workers the run is off.
func (c *Coordinator) Abort(reason string) {
	if err := c.publish("start", Start{Abort: reason}); err != nil {
		c.log.Warn("abort", "err", err)
	}
	if err := c.publish("stop", struct{}{}); err != nil {
		c.log.Warn("abort", "err", err)
	}
}

// Samples delivers the workers' samples as they come.
func (c *Coordinator) Samples() <-chan Sample { return c.samples }

// Dropped returns how many messages could not be taken.
func (c *Coordinator) Dropped() uint64 { return c.dropped.Load() }

// Stop tells the workers to stop their bots and send their results.
func (c *Coordinator) Stop() error { return c.publish("stop", struct{}{}) }

// Results waits for every worker's result, in worker order.
func (c *Coordinator) Results(ctx context.Context) ([]Result, error) {
	out := make([]Result, c.n)
	for got := 0; got < c.n; got++ {
		select {
		case r := <-c.results:
			if r.Index < 0 || r.Index >= c.n {
				return nil, fmt.Errorf("dist: result from worker %d of %d", r.Index, c.n)
			}
			if r.Err != "" {
				return nil, fmt.Errorf("dist: worker %d: %s", r.Index, r.Err)
			}
			out[r.Index] = r
		case <-ctx.Done():
			return nil, fmt.Errorf("dist: %d of %d results: %w", got, c.n, ctx.Err())
		}
	}
	return out, nil
}

func (c *Coordinator) publish(what string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("dist: %s: %w", what, err)
	}
	if err := c.nc.Publish(subject(c.run, what), data); err != nil {
		return fmt.Errorf("dist: %s: %w", what, err)
	}
	return c.nc.Flush()
}

// Close stops listening.
func (c *Coordinator) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.subs {
		_ = s.Unsubscribe() // the connection may be closing already
	}
	c.subs = nil
}
