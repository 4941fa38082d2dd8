package attack

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/skirmish-game/skirmish/server/engine"
)

// EnvServe turns the bench binary (or a test binary whose TestMain checks
// ChildRequested) into the attack's server child. Its value is the JSON of
// childOptions. The child is not serverproc's: it runs the engine's own
// defaults, limits included, because those are what the attacks measure.
const EnvServe = "SKIRMISH_ATTACK_SERVE"

const (
	childStartTimeout = 15 * time.Second
	childStopTimeout  = engine.DefaultShutdownTimeout + 5*time.Second
)

type childOptions struct {
	WebDir   string   `json:"web_dir"`
	TickRate int      `json:"tick_rate"`
	Flags    []string `json:"flags"` // server flags over the defaults
}

// ChildRequested reports whether this process was started as the child.
func ChildRequested() bool {
	_, ok := os.LookupEnv(EnvServe)
	return ok
}

// ChildMain runs the server child and returns its exit code.
func ChildMain() int {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("proc", "attack-server")
	if err := serveChild(os.Getenv(EnvServe), log); err != nil {
		log.Error("attack server failed", "err", err)
		return 1
	}
	return 0
}

func childConfig(raw string) (engine.Config, error) {
	var o childOptions
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		return engine.Config{}, fmt.Errorf("attack: %s: %w", EnvServe, err)
	}
	cfg := engine.DefaultConfig()
	cfg.TickRate = o.TickRate
	fs := flag.NewFlagSet("attack-server", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	if err := fs.Parse(o.Flags); err != nil {
		return engine.Config{}, fmt.Errorf("attack: server flags: %w", err)
	}
	// Whatever the flags say, the child listens on loopback only.
	cfg.Addr = "127.0.0.1:0"
	cfg.WebDir = o.WebDir
	return cfg, cfg.Validate()
}

func serveChild(raw string, log *slog.Logger) error {
	cfg, err := childConfig(raw)
	if err != nil {
		return err
	}
	srv, err := engine.New(cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // EOF: the parent is done or gone
		stop()
	}()
	if err := json.NewEncoder(os.Stdout).Encode(map[string]string{"addr": ln.Addr().String()}); err != nil {
		return fmt.Errorf("attack: announce: %w", err)
	}
	return srv.Serve(ctx, ln)
}

// child is a running server child.
type child struct {
	addr   string
	pid    int
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan struct{}
}

func startChild(o childOptions, stderr io.Writer) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	env, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), EnvServe+"="+string(env))
	cmd.Stderr = stderr
	cmd.SysProcAttr = childAttr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("attack: start server: %w", err)
	}
	c := &child{pid: cmd.Process.Pid, cmd: cmd, stdin: stdin, exited: make(chan struct{})}
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n') // a short line fails the decode below
		lines <- line
		_, _ = io.Copy(io.Discard, r)
		_ = cmd.Wait() // its exit status says nothing the row has not measured
		close(c.exited)
	}()
	timer := time.NewTimer(childStartTimeout)
	defer timer.Stop()
	select {
	case line := <-lines:
		var ready struct{ Addr string }
		if err := json.Unmarshal([]byte(line), &ready); err != nil || ready.Addr == "" {
			c.kill()
			return nil, fmt.Errorf("attack: server child announced %q", line)
		}
		c.addr = ready.Addr
		return c, nil
	case <-timer.C:
		c.kill()
		return nil, errors.New("attack: server child did not start")
	}
}

// stop closes the child's stdin (its signal to shut down) and waits, killing
// it if it takes longer than its shutdown allows.
func (c *child) stop() error {
	_ = c.stdin.Close()
	timer := time.NewTimer(childStopTimeout)
	defer timer.Stop()
	select {
	case <-c.exited:
		return nil
	case <-timer.C:
		c.kill()
		return fmt.Errorf("attack: server child did not stop within %v; killed", childStopTimeout)
	}
}

func (c *child) kill() {
	_ = c.cmd.Process.Kill() // it may have exited already
	_ = c.stdin.Close()
	<-c.exited
}
