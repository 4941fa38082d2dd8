// Command server is Skirmish's dedicated game server. Flags (or SKIRMISH_*
// environment variables, see -h) configure it. The first SIGTERM drains it
// (no new rooms or seats; games go on until empty or -drain-timeout), a
// second SIGTERM or a SIGINT shuts it down at once; either way it exits 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/skirmish-game/skirmish/server/agones"
	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/fleet"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()

	cfg, fcfg, acfg := engine.DefaultConfig(), fleet.DefaultConfig(), agones.DefaultConfig()
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	envErr := errors.Join(cfg.RegisterFlags(fs), fcfg.RegisterFlags(fs), acfg.RegisterFlags(fs))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if envErr != nil {
		return envErr
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	srv, err := engine.New(cfg, log)
	if err != nil {
		return err
	}
	var ag *agones.Client
	if acfg.Enabled {
		if ag, err = agones.New(acfg, os.LookupEnv, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	node, err := fleet.New(fcfg, srv, ln.Addr().String(), cfg.TLSCert != "", log)
	if err != nil {
		ln.Close()
		return err
	}
	if err := fleet.Wire(srv, node); err != nil {
		ln.Close()
		return err
	}

	terms := make(chan os.Signal, 2)
	signal.Notify(terms, syscall.SIGTERM)
	go func() {
		<-terms
		srv.Drain()
		<-terms
		stop() // a second SIGTERM stops at once
	}()
	nodeCtx, stopNode := context.WithCancel(context.Background())
	nodeDone := make(chan error, 1)
	go func() { nodeDone <- node.Run(nodeCtx) }()
	if ag != nil {
		go ag.Run(nodeCtx)
	}
	err = srv.Serve(ctx, ln)
	stopNode() // after the game port: the fleet sees this server until it is gone
	err = errors.Join(err, <-nodeDone)
	if ag != nil {
		if serr := ag.Shutdown(context.Background()); serr != nil {
			log.Warn("agones shutdown", "err", serr) // the pod goes anyway once the process exits
		}
	}
	return err
}
