// Command bench load-tests the Skirmish server with a swarm of protocol bots
// and prints a report. With no -url it runs the server in a child process of
// its own. See package loadtest.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/skirmish-game/skirmish/bench/attack"
	"github.com/skirmish-game/skirmish/bench/cpuset"
	"github.com/skirmish-game/skirmish/bench/loadtest"
	"github.com/skirmish-game/skirmish/bench/serverproc"
)

func main() {
	if serverproc.Requested() {
		os.Exit(serverproc.Main())
	}
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cfg := loadtest.DefaultConfig()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	cfg.RegisterFlags(fs)
	acfg := attack.DefaultConfig()
	acfg.RegisterFlags(fs)
	rows := fs.String("attack", "", "replay issue 7's attacks instead of a load test: all, or rows like 1,3-5 (see README, Attack replay)")
	worker := fs.Bool("worker", false, "be a worker of distributed runs: take shares of the runs announced on -nats until interrupted")
	verbose := fs.Bool("v", false, "log debug detail")
	cpuProfile := fs.String("cpuprofile", "", "write the bench process's own (the bots') CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg.ApplyModeDefaults(fs)
	switch {
	case *worker:
		// The run's settings come from the coordinator.
		if cfg.NATS == "" {
			fmt.Fprintln(os.Stderr, "-worker needs -nats, the NATS server the coordinator announces runs on")
			return 2
		}
	case *rows != "":
		var err error
		if acfg.Rows, err = attack.ParseRows(*rows); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		acfg.URL, acfg.TickRate = cfg.URL, cfg.TickRate
		if err := acfg.Validate(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	default:
		if err := cfg.Validate(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			log.Error("bench failed", "err", err)
			return 1
		}
		defer stopProfile()
	}
	if *worker {
		if err := cpuset.PinProcess(cfg.BotsCPUs); err != nil {
			log.Error("worker failed", "err", err)
			return 1
		}
		if err := (loadtest.Runner{Log: log}).Serve(ctx, cfg.NATS); err != nil {
			log.Error("worker failed", "err", err)
			return 1
		}
		return 0
	}
	if *rows != "" {
		ar := attack.Runner{Log: log, ServerLog: os.Stderr}
		if err := attack.Execute(ctx, acfg, ar, os.Stdout); err != nil {
			log.Error("attack replay failed", "err", err)
			return 1
		}
		return 0
	}
	r := loadtest.Runner{Log: log, Progress: os.Stderr, TTY: isTerminal(os.Stderr), ServerLog: os.Stderr}
	if err := loadtest.Execute(ctx, cfg, r, os.Stdout); err != nil {
		log.Error("bench failed", "err", err)
		return 1
	}
	return 0
}
