// Package transport is the client's WebSocket: gws on the desktop
// (ws_native.go) and the page's own WebSocket through syscall/js in the
// browser (ws_js.go). Both deliver whole binary messages to a bounded channel
// and send without blocking the game loop.
//
// It knows nothing of the protocol; the package that uses a Conn defines the
// interface it needs.
package transport
