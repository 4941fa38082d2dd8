// Package loopback is the bench's one rule about where it may send traffic:
// a load run or an attack replay goes to a loopback address, never to
// another machine, so a mistyped -url cannot load someone else's server.
//
// It checks names and URLs; it does not resolve them, so "localhost" is the
// only name it takes.
package loopback
