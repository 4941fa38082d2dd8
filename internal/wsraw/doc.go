// Package wsraw is a WebSocket client written by hand, for what a hostile
// client does and a library client will not: pings without reading, frames
// over the limit, close codes of its choosing, a handshake from a chosen
// source address. The bench's attacks and the engine's hostile tests share it.
//
// It is not a WebSocket client for playing: it does not fragment, answer
// pings or check the server's frames beyond their length. It imports nothing
// of the project, so the engine's own tests can use it.
package wsraw
