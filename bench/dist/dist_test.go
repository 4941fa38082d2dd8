package dist

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func connect(t *testing.T) func() *nats.Conn {
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	require.NoError(t, err)
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	require.True(t, ns.ReadyForConnections(5*time.Second))
	return func() *nats.Conn {
		nc, err := nats.Connect(ns.ClientURL())
		require.NoError(t, err)
		t.Cleanup(nc.Close)
		return nc
	}
}

type share struct {
	Index, Of int
	Plan      string
}

// serveN starts n workers running work until the test ends.
func serveN(t *testing.T, conn func() *nats.Conn, n int, work Work) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range n {
		nc := conn()
		wg.Go(func() { assert.NoError(t, Serve(ctx, nc, "w", work, slog.New(slog.DiscardHandler))) })
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// A run of two workers with a third listening: two join, each gets its own
// share, all start at the same time, and their samples and results come
// back; the third stays out.
func TestRunOfTwo(t *testing.T) {
	conn := connect(t)
	var mu sync.Mutex
	starts := map[int64]int{}
	serveN(t, conn, 3, func(ctx context.Context, j *Job) (any, error) {
		at, err := j.Ready(ctx)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		starts[at.UnixNano()]++
		mu.Unlock()
		if err := j.Sample(0, j.Index*10); err != nil {
			return nil, err
		}
		<-j.Stopped()
		return share{Index: j.Index, Of: j.Of, Plan: string(j.Plan)}, nil
	})
	co, err := Gather(t.Context(), conn(), 2, "the plan", 10*time.Second, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer co.Close()
	at, err := co.Start()
	require.NoError(t, err)
	got := map[int]json.RawMessage{}
	for len(got) < 2 {
		select {
		case s := <-co.Samples():
			assert.Zero(t, s.Seq)
			got[s.Index] = s.Data
		case <-time.After(5 * time.Second):
			require.FailNow(t, "no samples", "got %v", got)
		}
	}
	assert.Equal(t, map[int]json.RawMessage{0: json.RawMessage("0"), 1: json.RawMessage("10")}, got)
	require.NoError(t, co.Stop())
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	results, err := co.Results(ctx)
	require.NoError(t, err)
	for i, r := range results {
		var s share
		require.NoError(t, json.Unmarshal(r.Data, &s))
		assert.Equal(t, share{Index: i, Of: 2, Plan: `"the plan"`}, s)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[int64]int{at.UnixNano(): 2}, starts, "one start time for both, and no third worker")
	assert.Zero(t, co.Dropped())
}

func TestGatherFails(t *testing.T) {
	for _, tc := range []struct {
		name    string
		workers int // listening
		asked   int // by the coordinator
		timeout time.Duration
		work    Work
		want    string
	}{
		{"a worker cannot set up", 1, 1, 5 * time.Second, func(context.Context, *Job) (any, error) { return nil, errors.New("no such room") }, "no such room"},
		{"too few workers", 1, 2, time.Second, nil, "1 of 2 workers joined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn := connect(t)
			work := tc.work
			if work == nil {
				work = func(ctx context.Context, j *Job) (any, error) { _, err := j.Ready(ctx); return nil, err }
			}
			serveN(t, conn, tc.workers, work)
			_, err := Gather(t.Context(), conn(), tc.asked, nil, tc.timeout, slog.New(slog.DiscardHandler))
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
