//go:build !js

package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

const (
	// e2eRoom is the room the client under test and the observer both join.
	e2eRoom = "e2e"

	// buildTimeout bounds one `go build` of the client. It is apart from the
	// test's own budget because a cold build of Ebiten on a 2-core machine
	// takes far longer than a warm one (`make test` warms the cache first).
	buildTimeout = 4 * time.Minute

	// testTimeout bounds everything a test does after its build.
	testTimeout = 85 * time.Second

	// stopTimeout bounds how long a test waits for the observer to connect
	// or close, and for /healthz.
	stopTimeout = 10 * time.Second

	// artifactsEnv names the directory for screenshots; bench/out/ at the
	// repository root when unset.
	artifactsEnv = "SKIRMISH_ARTIFACTS"

	installHint = "run `sudo bash scripts/install-test-deps.sh` (Debian)"
)

// requireE2E skips the test under -short.
func requireE2E(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: skipped with -short")
	}
}

// requireTool skips the test when an executable is missing, or fails it under
// CI=true, where a skip would hide a broken machine setup.
func requireTool(t *testing.T, path string) {
	t.Helper()
	if _, err := exec.LookPath(path); err == nil {
		return
	}
	msg := fmt.Sprintf("%s not found: %s", path, installHint)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// repoRoot is the directory of go.mod above the test's working directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the working directory")
		dir = parent
	}
}

// artifactPath returns where to save the artifact name, creating its
// directory, and removes a stale file of an earlier run so that a test can
// tell that the file is new.
func artifactPath(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "bench", "out")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, name)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		require.NoError(t, err)
	}
	return path
}

// runBuild runs a build command from the repository root within buildTimeout
// and fails the test with its output when it fails.
func runBuild(t *testing.T, env []string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v:\n%s", name, args, out)
	t.Logf("built in %v: %s %v", time.Since(start).Round(time.Millisecond), name, args)
}

// buildWeb builds the browser client into a new directory with the same
// script the Makefile uses, and returns the directory.
func buildWeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	runBuild(t, nil, "bash", "scripts/build-web.sh", dir)
	for _, f := range []string{"index.html", "wasm_exec.js", "client.wasm", "client.wasm.gz"} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	return dir
}

// buildNative builds the desktop client and returns the executable's path.
func buildNative(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "skirmish-client")
	runBuild(t, nil, "go", "build", "-o", bin, "./client")
	return bin
}

// startEngine runs the engine in this process on 127.0.0.1:0 until the test
// ends, serving webDir at "/" when it is not empty, and returns host:port.
// AOI is off so that the observer sees every entity wherever it is.
func startEngine(t *testing.T, webDir string) string {
	t.Helper()
	cfg := engine.DefaultConfig()
	cfg.WebDir = webDir
	cfg.AOI = false
	require.NoError(t, cfg.Validate())
	srv := enginetest.NewServer(t, cfg)
	requireHealthy(t, srv.Addr)
	return srv.Addr
}

// requireHealthy checks /healthz once: the listener is bound before Serve, so
// the request waits for Serve instead of racing it.
func requireHealthy(t *testing.T, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), stopTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode, "GET /healthz")
}
