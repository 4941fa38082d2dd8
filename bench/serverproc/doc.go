// Package serverproc runs the Skirmish server engine in a child process of
// the bench, so the server's CPU and memory are measured apart from the
// bots'. The bench re-executes its own binary with EnvServe set; the child
// serves on 127.0.0.1:0, prints where on stdout, and exits when its stdin
// closes (the parent ended, however it ended) or on SIGTERM.
//
// Only the bench uses it; it is not how operators run the server.
package serverproc
