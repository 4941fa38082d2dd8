package serverproc

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Timeouts of the child's life cycle.
const (
	startTimeout = 15 * time.Second
	stopTimeout  = exitBackstop + 2*time.Second
)

// ErrStart is returned when the child does not come up.
var ErrStart = errors.New("serverproc: child server did not start")

// Process is a running server child.
type Process struct {
	Ready
	Pid   int
	cmd   *exec.Cmd
	stdin io.WriteCloser

	exited  chan struct{} // closed once cmd.Wait has returned
	waitErr error         // cmd.Wait's result, set before exited closes
}

// Start launches the child and waits until it listens. stderr receives the
// child's log.
func Start(o Options, stderr io.Writer) (*Process, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("serverproc: %w", err)
	}
	env, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("serverproc: %w", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(childEnv(os.Environ()), EnvServe+"="+string(env))
	if o.CPUs.Len() > 0 {
		// The runtime sizes itself from GOMAXPROCS at start; the child's
		// pinning sets it again, and this keeps the two from differing for
		// the moment between.
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+strconv.Itoa(o.CPUs.Len()))
	}
	cmd.Stderr = stderr
	cmd.SysProcAttr = childAttr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("serverproc: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("serverproc: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("serverproc: %w", err)
	}
	p := &Process{Pid: cmd.Process.Pid, cmd: cmd, stdin: stdin, exited: make(chan struct{})}

	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n') // a short read shows as a bad announce below
		lines <- line
		_, _ = io.Copy(io.Discard, r) // the pipe must not fill up
		p.waitErr = cmd.Wait()        // Wait after the last read of stdout
		close(p.exited)
	}()
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case line := <-lines:
		if err := json.Unmarshal([]byte(line), &p.Ready); err != nil || p.Addr == "" {
			p.kill()
			return nil, fmt.Errorf("%w: announced %q", ErrStart, line)
		}
		return p, nil
	case <-timer.C:
		p.kill()
		return nil, fmt.Errorf("%w within %v", ErrStart, startTimeout)
	}
}

// childEnv is environ without SKIRMISH_ variables: only Options configure
// the child, so a variable set for another server in the same shell cannot
// change a measurement.
func childEnv(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "SKIRMISH_") {
			out = append(out, kv)
		}
	}
	return out
}

// Stop asks the child to shut down (by closing its stdin) and waits for it,
// killing it if it takes longer than its own shutdown allows.
func (p *Process) Stop() error {
	_ = p.stdin.Close() // closing twice or after exit is harmless
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-p.exited:
		if p.waitErr != nil {
			return fmt.Errorf("serverproc: child: %w", p.waitErr)
		}
		return nil
	case <-timer.C:
		p.kill()
		return fmt.Errorf("serverproc: child did not stop within %v; killed", stopTimeout)
	}
}

// kill ends the child at once and reaps it.
func (p *Process) kill() {
	_ = p.cmd.Process.Kill() // it may have exited already
	_ = p.stdin.Close()
	<-p.exited
}
