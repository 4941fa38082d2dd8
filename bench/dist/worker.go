package dist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// joinTimeout bounds a worker's join request: the coordinator answers at
// once, or the run is someone else's by now.
const joinTimeout = 2 * time.Second

// announcements bounds the announcements a busy or slow worker holds; the
// coordinator repeats them, so dropping is harmless.
const announcements = 8

// ErrAborted: the coordinator called the run off.
var ErrAborted = errors.New("dist: run aborted")

// Job is one worker's share of a run: bots Index, Index+Of, ... of the
// run's plan. Serve hands it to the work function.
type Job struct {
	Run       string
	Index, Of int
	Plan      json.RawMessage

	nc    *nats.Conn
	start chan Start
	stop  chan struct{}
	once  sync.Once
	ready bool
	unsub func() // ends the start and stop subscriptions
}

// Ready tells the coordinator the share is set up and waits for the start:
// it returns the start time, or ErrAborted.
func (j *Job) Ready(ctx context.Context) (time.Time, error) {
	j.ready = true
	if err := j.publish("ready", Ready{Index: j.Index}); err != nil {
		return time.Time{}, err
	}
	select {
	case s := <-j.start:
		if s.Abort != "" {
			return time.Time{}, fmt.Errorf("%w: %s", ErrAborted, s.Abort)
		}
		return s.At, nil
	case <-j.stop:
		return time.Time{}, ErrAborted
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
}

// Sample publishes the share's sample number seq.
func (j *Job) Sample(seq int, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("dist: sample: %w", err)
	}
	return j.publish("sample", Sample{Index: j.Index, Seq: seq, Data: data})
}

// Stopped is closed when the coordinator says stop.
func (j *Job) Stopped() <-chan struct{} { return j.stop }

func (j *Job) publish(what string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("dist: %s: %w", what, err)
	}
	if err := j.nc.Publish(subject(j.Run, what), data); err != nil {
		return fmt.Errorf("dist: %s: %w", what, err)
	}
	return nil
}

// Work runs one share: it sets up, calls job.Ready, runs until the job is
// stopped, and returns the result to send back.
type Work func(ctx context.Context, job *Job) (result any, err error)

// Serve takes one run after another until ctx is done: it waits for an
// announcement, asks to join, and runs work for the share it is given,
// sending back its result (or why it failed). name identifies the worker
// in the coordinator's log.
func Serve(ctx context.Context, nc *nats.Conn, name string, work Work, log *slog.Logger) error {
	anns := make(chan Announce, announcements)
	sub, err := nc.Subscribe(SubjectAnnounce, func(m *nats.Msg) {
		var a Announce
		if json.Unmarshal(m.Data, &a) != nil {
			return
		}
		select {
		case anns <- a:
		default:
		}
	})
	if err != nil {
		return fmt.Errorf("dist: subscribe: %w", err)
	}
	defer sub.Unsubscribe() //nolint:errcheck // leaving anyway
	log.Info("worker waiting for a run", "worker", name)
	for {
		select {
		case <-ctx.Done():
			return nil
		case a := <-anns:
			job, err := join(ctx, nc, name, a)
			if err != nil {
				log.Debug("not joined", "run", a.Run, "err", err)
				continue
			}
			if job == nil {
				continue
			}
			log.Info("joined run", "run", a.Run, "index", job.Index, "of", job.Of)
			run(ctx, job, work, log)
			drain(anns)
		}
	}
}

// join asks for a share of a; nil when the run is full.
func join(ctx context.Context, nc *nats.Conn, name string, a Announce) (*Job, error) {
	data, _ := json.Marshal(Join{Worker: name}) // a string field always marshals
	ctx, cancel := context.WithTimeout(ctx, joinTimeout)
	defer cancel()
	// Listen for the start and stop before joining: the start may follow
	// the last join at once.
	j := &Job{Run: a.Run, Plan: a.Plan, nc: nc, start: make(chan Start, 1), stop: make(chan struct{})}
	ss, err := nc.Subscribe(subject(a.Run, "start"), func(m *nats.Msg) {
		var s Start
		if json.Unmarshal(m.Data, &s) == nil {
			select {
			case j.start <- s:
			default:
			}
		}
	})
	if err != nil {
		return nil, err
	}
	st, err := nc.Subscribe(subject(a.Run, "stop"), func(*nats.Msg) { j.once.Do(func() { close(j.stop) }) })
	if err != nil {
		_ = ss.Unsubscribe()
		return nil, err
	}
	unsub := func() { _, _ = ss.Unsubscribe(), st.Unsubscribe() }
	m, err := nc.RequestWithContext(ctx, subject(a.Run, "join"), data)
	if err != nil {
		unsub()
		return nil, err
	}
	var r JoinReply
	if err := json.Unmarshal(m.Data, &r); err != nil || !r.Accepted {
		unsub()
		return nil, err
	}
	j.Index, j.Of, j.unsub = r.Index, r.Of, unsub
	return j, nil
}

// run does one job and sends back its result, or its failure: as a Ready
// when it failed before it was ready.
func run(ctx context.Context, j *Job, work Work, log *slog.Logger) {
	defer j.unsub()
	res, err := work(ctx, j)
	var perr error
	switch {
	case err != nil && !j.ready:
		perr = j.publish("ready", Ready{Index: j.Index, Err: err.Error()})
	case err != nil:
		perr = j.publish("result", Result{Index: j.Index, Err: err.Error()})
	default:
		data, merr := json.Marshal(res)
		if merr != nil {
			perr = j.publish("result", Result{Index: j.Index, Err: merr.Error()})
			break
		}
		perr = j.publish("result", Result{Index: j.Index, Data: data})
	}
	if err != nil {
		log.Warn("run failed", "run", j.Run, "err", err)
	}
	if perr == nil {
		perr = j.nc.Flush()
	}
	if perr != nil {
		log.Warn("sending the result", "run", j.Run, "err", perr)
	}
}

// drain forgets the announcements heard while busy: they are of runs that
// have their workers by now, or that will announce again.
func drain(anns chan Announce) {
	for {
		select {
		case <-anns:
		default:
			return
		}
	}
}
