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
// It knows nothing of the protocol; the package that uses a Conn defines the
// interface it needs.
package transport
