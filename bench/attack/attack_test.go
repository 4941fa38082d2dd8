package attack

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/bench/serverproc"
	"github.com/skirmish-game/skirmish/server/engine"
)

// TestMain lets this test binary be the rows' server child, as the bench
// binary is.
func TestMain(m *testing.M) {
	if serverproc.Requested() {
		os.Exit(serverproc.Main())
	}
	os.Exit(m.Run())
}

// The child a row starts serves the row's web directory and stops cleanly
// when asked.
func TestChildServesTheWebDir(t *testing.T) {
	web := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(web, "index.html"), []byte("<!doctype html><title>child</title>"), 0o644))
	cfg := DefaultConfig()
	cfg.ServerFlags = []string{"-max-rooms=7"}
	var log bytes.Buffer
	p, err := serverproc.Start(childOptions(cfg, web), &log)
	require.NoError(t, err)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = p.Stop()
		}
	})

	resp, err := (&http.Client{Timeout: readTimeout}).Get("http://" + p.Addr + "/")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "<title>child</title>")

	stopped = true
	assert.NoError(t, p.Stop(), "child log: %s", log.String())
}

// startEngine serves a real engine with its default limits on 127.0.0.1:0
// from a web directory of its own, and returns its WebSocket URL.
func startEngine(t *testing.T, web string) string {
	t.Helper()
	cfg := engine.DefaultConfig()
	cfg.Addr = "127.0.0.1:0"
	cfg.WebDir = web
	srv, err := engine.New(cfg, nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", cfg.Addr)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return (&url.URL{Scheme: "ws", Host: ln.Addr().String(), Path: wsPath}).String()
}

// The cheap rows against a real server produce a result. What the server
// answers is not asserted: the same test must pass before and after the
// server is hardened.
func TestCheapRowsProduceResults(t *testing.T) {
	web := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(web, "index.html"), []byte("<!doctype html><title>t</title>"), 0o644))
	cfg := DefaultConfig()
	cfg.URL = startEngine(t, web)
	cfg.Pid = os.Getpid() // the engine runs in this process
	cfg.WebDir = web
	cfg.Honest = 2
	cfg.Cooldown = 0
	cfg.Rows = []int{8, 9}
	require.NoError(t, cfg.Validate())

	var out bytes.Buffer
	require.NoError(t, Execute(context.Background(), cfg, Runner{}, &out))
	text := out.String()
	assert.Contains(t, text, "row 8 static-leaks")
	assert.Contains(t, text, "symlink to /etc/passwd: http ", "row 8 reports an HTTP status per request")
	assert.Contains(t, text, "row 9 oversize-frame")
	assert.Contains(t, text, "50 tries: ", "row 9 reports its tries")
	assert.NotContains(t, text, "not run")
	assert.Regexp(t, `(?m)^9\s+oversize-frame\s+[0-9.]+ / [0-9.]+ / [0-9.]+`, text, "the summary has RSS figures")

	_, err := os.Lstat(filepath.Join(web, plantLink))
	assert.ErrorIs(t, err, os.ErrNotExist, "row 8 removes what it planted in an external -web")
}

func TestRowsAreBounded(t *testing.T) {
	for i, r := range Rows() {
		t.Run(r.Name, func(t *testing.T) {
			assert.NotNil(t, r.run, "row %d has an attack", i+1)
			assert.Positive(t, r.Limit)
			assert.LessOrEqual(t, r.Limit.Seconds(), 45.0, "a row stops by itself within 45 s")
		})
	}
}
