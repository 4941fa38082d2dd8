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
	verbose := fs.Bool("v", false, "log debug detail")
	cpuProfile := fs.String("cpuprofile", "", "write the bench process's own (the bots') CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg.ApplyModeDefaults(fs)
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
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
	r := loadtest.Runner{Log: log, Progress: os.Stderr, TTY: isTerminal(os.Stderr), ServerLog: os.Stderr}
	if err := loadtest.Execute(ctx, cfg, r, os.Stdout); err != nil {
		log.Error("bench failed", "err", err)
		return 1
	}
	return 0
}
