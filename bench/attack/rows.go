package attack

import (
	"context"
	"time"
)

// Row is one attack of issue 7's table.
type Row struct {
	Name  string        // short, for the table
	What  string        // the attack in a sentence
	Limit time.Duration // the attack's own time bound (the row adds setup and cooldown)
	run   func(ctx context.Context, e *env) string
}

// Rows returns the attacks in the order of issue 7's table; row n is
// Rows()[n-1].
func Rows() []Row {
	return []Row{
		{Name: "ping-flood", What: "1 connection: hello, then empty pings as fast as it can, never reading; reconnects when dropped",
			Limit: 10 * time.Second, run: func(ctx context.Context, e *env) string { return pingFlood(ctx, e, 1) }},
		{Name: "ping-flood-20", What: "20 such connections from one IP",
			Limit: 10 * time.Second, run: func(ctx context.Context, e *env) string { return pingFlood(ctx, e, 20) }},
		{Name: "room-squat", What: "255 hellos from one IP, each naming a new room, then leaving; a new player then creates a room and asks for any room",
			Limit: 20 * time.Second, run: roomSquat},
		{Name: "ghost-seats", What: "100 connect-hello-reset ghosts in one named room; a new player then joins it",
			Limit: 20 * time.Second, run: ghostSeats},
		{Name: "slow-headers", What: "500 connections sending ~900 KB of headers slowly, never finishing",
			Limit: 15 * time.Second, run: slowHeaders},
		{Name: "close-codes", What: "10,000 connections closing with distinct codes 4000-4999, no hello",
			Limit: 45 * time.Second, run: closeCodes},
		{Name: "wasm-stall", What: "100 clients requesting /client.wasm and never reading; held after 45 s",
			Limit: 45 * time.Second, run: wasmStall},
		{Name: "static-leaks", What: "GET a symlink to /etc/passwd, a dotfile and a directory inside -web",
			Limit: 10 * time.Second, run: staticLeaks},
		{Name: "oversize-frame", What: "50 tries: hello, then one 5,000 B frame; does a close 1009 arrive or a reset",
			Limit: 20 * time.Second, run: oversizeFrame},
	}
}
