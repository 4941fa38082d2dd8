package agones

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
)

// sidecar is a fake Agones SDK server: it refuses the first Ready, as a
// sidecar that is not up yet, and reports every call on calls.
func sidecar(t *testing.T) (port int, calls chan string) {
	calls = make(chan string, 64)
	var readies atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/ready" && readies.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		select {
		case calls <- r.URL.Path:
		default:
		}
		_, _ = w.Write([]byte("{}"))
	}))
	t.Cleanup(srv.Close)
	_, p, err := net.SplitHostPort(srv.Listener.Addr().String())
	require.NoError(t, err)
	port, err = strconv.Atoi(p)
	require.NoError(t, err)
	return port, calls
}

func next(t *testing.T, calls chan string) string {
	t.Helper()
	select {
	case c := <-calls:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no call to the sidecar")
		return ""
	}
}

func TestClientLifecycle(t *testing.T) {
	port, calls := sidecar(t)
	cfg := DefaultConfig()
	cfg.Enabled, cfg.Health = true, 10*time.Millisecond
	env := map[string]string{EnvPort: strconv.Itoa(port)}
	c, err := New(cfg, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Run(ctx)
	}()
	assert.Equal(t, "/ready", next(t, calls), "Ready, once the sidecar answers")
	assert.Equal(t, "/health", next(t, calls))
	assert.Equal(t, "/health", next(t, calls), "pings go on")
	cancel()
	<-done
	for len(calls) > 0 {
		<-calls
	}
	require.NoError(t, c.Shutdown(context.Background()))
	assert.Equal(t, "/shutdown", next(t, calls))
}

func TestNewPort(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		env  map[string]string
		base string
		err  bool
	}{
		{"default", DefaultConfig(), nil, "http://127.0.0.1:9358", false},
		{"from the environment", DefaultConfig(), map[string]string{EnvPort: "9400"}, "http://127.0.0.1:9400", false},
		{"bad environment", DefaultConfig(), map[string]string{EnvPort: "x"}, "", true},
		{"given", Config{Health: time.Second, Port: 9500}, map[string]string{EnvPort: "9400"}, "http://127.0.0.1:9500", false},
		{"no health interval", Config{}, nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.cfg, func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }, slog.New(slog.DiscardHandler))
			if tt.err {
				assert.ErrorIs(t, err, engine.ErrInvalidConfig)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.base, c.base)
		})
	}
}
