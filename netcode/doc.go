// Package netcode is Skirmish's wire protocol and the client-side netcode kit:
// message types and their msgpack codec, quantization, snapshot Diff/Apply with
// per-entity changed-field bitmasks, client prediction with server
// reconciliation, an interpolation buffer and clock sync.
//
// It works on values and []byte only: it never touches a socket, gws or
// syscall/js. PROTOCOL.md at the repository root documents the bytes.
package netcode
