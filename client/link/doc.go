// Package link keeps the client connected to its server: it dials, says
// hello, reports the welcome, forwards every other server message, and when
// the connection drops it retries with backoff, resuming the same player with
// the session token. A refusal the client cannot fix by retrying (an expired
// session, a full room) is reported and waits for Rejoin.
//
// It defines the small Conn interface it needs; the transport package provides
// it for the desktop and the browser. It does not interpret game messages.
package link
