// Package link keeps the client connected to its server: it dials, says
// hello, reports the welcome, forwards every other server message, and when
// the connection drops it retries with backoff, resuming the same player with
// the session token. A session the server no longer knows (after a restart,
// or past the resume grace) is joined again at once as a new player; a
// refusal the client cannot fix by retrying (a full room, a wrong version) is
// reported and waits for Rejoin. recovery.go holds that decision.
//
// With a Matcher (Config.Match: the fleet's POST /match, behind a function)
// every new player is seated first: the seat's URL is dialled and its ticket
// carried in the hello. When the server drains (1001 "draining..."), dies
// (resumes that cannot reach it) or refuses the ticket, the Link asks for a
// seat again and joins wherever it is sent, by itself (Rematching).
//
// The backoff (backoff.go) is exponential with a cap and jittered, so that
// many clients dropped by the same server restart do not come back in
// lockstep; it only computes durations and never sleeps.
//
// It defines the small Conn interface it needs; the transport package provides
// it for the desktop and the browser. It does not interpret game messages.
package link
