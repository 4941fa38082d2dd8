// Package loopback is the bench's rule about where an attack may go: the
// attack replay sends only to loopback addresses, never to another machine,
// so a mistyped -url cannot attack someone else's server. (A load run may
// target any server an operator names; it says so when that is not loopback.)
//
// It checks names and URLs; it does not resolve them, so "localhost" is the
// only name it takes.
package loopback
