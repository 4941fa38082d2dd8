//go:build linux

package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

const (
	xvfbRun    = "xvfb-run"
	nativeName = "NATIVE"

	// screenshotFrames is how many frames the client plays before it saves
	// its screenshot and exits: 3 s at 60 TPS, long enough to move.
	screenshotFrames = 180

	// nativeTimeout bounds the client's whole run under Xvfb.
	nativeTimeout = 75 * time.Second

	// killGrace is how long Wait waits for output after the kill.
	killGrace = 5 * time.Second

	// exitGrace is how long the observer may still take to see the player
	// move once the client has exited normally: the server keeps the player
	// for its resume grace, but the snapshots that show the last moves may
	// still be on their way.
	exitGrace = 3 * time.Second
)

// TestNativeXvfb plays the desktop client under Xvfb with Mesa's software GL
// and checks that the server saw the player move and that the client's own
// screenshot shows a rendered frame.
func TestNativeXvfb(t *testing.T) {
	requireE2E(t)
	requireTool(t, xvfbRun)
	shot := artifactPath(t, "e2e-native.png")
	bin := buildNative(t)

	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	addr := startEngine(t, "")
	obs := dialObserver(t, addr, nativeName)

	out := &enginetest.LogBuffer{}
	xvfbLog := filepath.Join(t.TempDir(), "xvfb.log")
	cmd := xvfbCommand(t, ctx, out, xvfbLog, bin,
		"-server", "ws://"+addr+"/ws",
		"-name", nativeName,
		"-room", e2eRoom,
		"-autoplay",
	)
	cmd.Env = append(os.Environ(),
		"SKIRMISH_SCREENSHOT="+shot,
		"SKIRMISH_SCREENSHOT_FRAMES="+strconv.Itoa(screenshotFrames),
	)
	defer func() {
		if t.Failed() {
			xlog, _ := os.ReadFile(xvfbLog)
			t.Logf("client output:\n%s\nXvfb log:\n%s", out.String(), xlog)
		}
	}()
	start := time.Now()
	require.NoError(t, cmd.Start())
	var exitErr error
	exited := make(chan struct{})
	// watch ends the observer's wait early when the client is gone: at once
	// when it failed, after a grace when it finished without being seen to
	// move.
	watch, stopWatch := context.WithCancelCause(ctx)
	defer stopWatch(nil)
	go func() {
		exitErr = cmd.Wait()
		close(exited)
		if exitErr != nil {
			stopWatch(fmt.Errorf("client exited: %w", exitErr))
			return
		}
		time.AfterFunc(exitGrace, func() { stopWatch(errors.New("client exited 0 before the observer saw it move")) })
	}()

	obs.requireJoinedAndMoved(t, watch)

	select {
	case <-exited:
		require.NoError(t, exitErr, "client exit status")
	case <-ctx.Done():
		t.Fatalf("client still running after %v: %v", time.Since(start).Round(time.Millisecond), ctx.Err())
	}
	t.Logf("client exited 0 after %v", time.Since(start).Round(time.Millisecond))

	require.FileExists(t, shot, "the client wrote no screenshot")
	png, err := os.ReadFile(shot)
	require.NoError(t, err)
	t.Logf("saved %s", shot)
	requireRenderedPNG(t, png)
}

// xvfbCommand runs bin with args under xvfb-run on a free display of
// 1280x720x24, in a process group of its own: xvfb-run is a shell script that
// starts Xvfb and the client as its children, and killing only the script
// would leave them running. The group is killed when ctx is done and when the
// test ends.
func xvfbCommand(t *testing.T, ctx context.Context, out *enginetest.LogBuffer, xvfbLog, bin string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, nativeTimeout)
	xargs := append([]string{"-a", "-e", xvfbLog, "-s", "-screen 0 1280x720x24", bin}, args...)
	cmd := exec.CommandContext(ctx, xvfbRun, xargs...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	killGroup := func() error {
		if cmd.Process == nil {
			return nil
		}
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return os.ErrProcessDone
		}
		return err
	}
	cmd.Cancel = killGroup
	cmd.WaitDelay = killGrace
	t.Cleanup(func() {
		cancel()
		_ = killGroup() // stragglers after a normal exit; ESRCH when none
	})
	return cmd
}
