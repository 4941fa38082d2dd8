// Package fleettest runs a fleet of real engines for a test, as
// enginetest runs one: a NATS node on 127.0.0.1 (a random port), a shared
// ticket key file, and members (an engine and its fleet node, wired as
// server/main wires them, with an admin listener) on 127.0.0.1:0.
//
// A member can be drained through its admin listener, as an operator does,
// or killed: its sockets and its NATS connection are cut without a word,
// as when its process dies, so the fleet only learns of it by its silence.
// It is for tests outside package fleet (the client's end-to-end test, the
// bench's); nothing else imports it.
package fleettest
