package engine

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"
)

// The engine's own tests start servers here, with hooks into the rooms;
// tests outside the package use server/engine/enginetest, which cannot be
// imported from here (it imports engine).

// waitFor bounds every wait in these tests; nothing waits on a guess.
const waitFor = 10 * time.Second

func testLogger() *slog.Logger {
	if os.Getenv("SKIRMISH_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func testConfig(t testing.TB) Config {
	cfg := DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.Seed = 42
	cfg.WebDir = t.TempDir()
	cfg.ShutdownTimeout = 3 * time.Second
	// Every test client comes from 127.0.0.1: the per-address limits are
	// lifted here and set low by the tests of those limits.
	cfg.ConnRatePerIP, cfg.ConnBurstPerIP = 1e6, 1e6
	cfg.MaxSeatsPerIP = MaxRoomCapacity
	cfg.MaxRoomsPerIP, cfg.RoomRatePerIP = 1e6, 1e6
	cfg.MaxHTTPConnsPerIP = 1e6
	return cfg
}

type testServer struct {
	*Server
	addr   string
	cancel context.CancelFunc
	served chan error
}

// startServer runs a real server on 127.0.0.1:0 until the test ends. The
// options run before Serve, so the hooks they set are seen by every room.
func startServer(t testing.TB, cfg Config, opts ...func(*Server)) *testServer {
	t.Helper()
	s, err := New(cfg, testLogger())
	require.NoError(t, err)
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return serveOn(t, s, ln, ln.Addr().String())
}

// serveOn runs s on ln, whose address is addr, until the test ends.
func serveOn(t testing.TB, s *Server, ln net.Listener, addr string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, addr: addr, cancel: cancel, served: make(chan error, 1)}
	go func() { ts.served <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.served:
			require.NoError(t, err)
		case <-time.After(waitFor):
			t.Error("Serve did not return")
		}
	})
	return ts
}

func withFrames(l *frameLog) func(*Server) { return func(s *Server) { s.rooms.onFrame = l.record } }

// counterValue reads a counter or gauge.
func counterValue(t testing.TB, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	if m.Counter != nil {
		return m.Counter.GetValue()
	}
	return m.Gauge.GetValue()
}
