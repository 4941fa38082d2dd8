// Package transport is the client's WebSocket: gws on the desktop
// (ws_native.go) and the page's own WebSocket through syscall/js in the
// browser (ws_js.go). Both deliver whole binary messages to a bounded channel,
// each with the time it came off the socket when asked to (Options.Stamp),
// and send without blocking the game loop.
//
// The desktop Conn is the project's one gws client: the bench's bots and the
// engine and end-to-end tests dial through it too, taking messages on the
// read loop (Options.OnMessage) and writing synchronously (Write).
//
// Options.Sim puts a network simulator in the connection (sim.go), as
// Valve's net_fakelag: latency, jitter and periodic stalls, both ways and in
// order, on both platforms through one scheduler, so the game and the bots
// can be felt and measured at 150 ms on loopback.
//
// It knows nothing of the protocol; the package that uses a Conn defines the
// interface it needs.
package transport
