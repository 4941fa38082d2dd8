// Package rawsock writes to a socket without waiting: what a non-blocking
// socket takes at once, in one system call, and how much that was. The
// engine's snapshot workers and the bench's floor server write from a
// goroutine that has other clients to serve, so a full socket must cost
// them nothing but the call.
//
// It is hand-written because it is a few lines over syscall: gws, net and
// golang.org/x/sys offer a write that parks the goroutine on a full socket,
// or a raw file descriptor, not a write that returns what it could not send.
package rawsock
