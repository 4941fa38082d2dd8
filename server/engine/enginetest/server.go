package enginetest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
)

// StopTimeout bounds how long Close waits for the engine to shut down.
const StopTimeout = 10 * time.Second

// LogEnv, when set, sends the engine's debug log to stderr as it is written
// instead of keeping it for a failing test.
const LogEnv = "SKIRMISH_TEST_LOG"

// Server is an engine serving on a loopback port.
type Server struct {
	*engine.Server
	Addr string // host:port
	URL  string // ws://host:port/ws, the game's WebSocket

	t      testing.TB
	log    *LogBuffer
	cancel context.CancelFunc
	served chan error
	once   sync.Once
}

// NewServer starts an engine with cfg (its Addr is ignored) on 127.0.0.1:0
// and closes it when the test ends. The listener is bound before it returns,
// so a client may dial at once: the connection waits for Serve.
func NewServer(t testing.TB, cfg engine.Config) *Server {
	t.Helper()
	s := &Server{t: t, log: &LogBuffer{}, served: make(chan error, 1)}
	var w io.Writer = s.log
	if os.Getenv(LogEnv) != "" {
		w = os.Stderr
	}
	srv, err := engine.New(cfg, slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.Server, s.Addr = srv, ln.Addr().String()
	s.URL = "ws://" + s.Addr + "/ws"
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() { s.served <- srv.Serve(ctx, ln) }()
	t.Cleanup(s.Close)
	return s
}

// Close shuts the engine down as SIGTERM would and waits for Serve to return,
// failing the test if it returns an error or takes longer than StopTimeout.
// It is called when the test ends; calling it earlier is fine.
func (s *Server) Close() {
	s.once.Do(func() {
		s.cancel()
		select {
		case err := <-s.served:
			if err != nil {
				s.t.Errorf("engine Serve: %v", err)
			}
		case <-time.After(StopTimeout):
			s.t.Errorf("engine did not stop within %v", StopTimeout)
		}
		if s.t.Failed() {
			s.t.Logf("engine log:\n%s", s.log.String())
		}
	})
}
