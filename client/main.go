// Command client is the Skirmish game client, for the desktop and (built with
// GOOS=js GOARCH=wasm) the browser:
//
//	go run ./client -server ws://127.0.0.1:8080/ws -name Alice -room lobby
//
// Flags, SKIRMISH_* environment variables and, in a browser, the page URL's
// name, room and autoplay parameters make its Config; see client/app.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"os/signal"

	"github.com/skirmish-game/skirmish/client/app"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := app.LoadConfig(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		log.Error("bad configuration", "err", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := app.Run(ctx, cfg, log); err != nil {
		log.Error("client stopped", "err", err)
		stop()
		os.Exit(1)
	}
}
