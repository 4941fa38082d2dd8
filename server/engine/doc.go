// Package engine is Skirmish's dedicated game server: WebSocket sessions over
// gws, rooms that each run one game world on a fixed tick, per-client
// snapshot deltas against the snapshot the client last acknowledged (Quake 3's
// model), limits with close codes and metrics, and the HTTP side (/ws,
// /healthz, /metrics and the web client at /).
//
// Concurrency: a connection's gws read loop decodes and validates its frames
// and posts them to its room's bounded inbox, never blocking; one goroutine
// per room owns the room's Sim and members, drains the inbox once a tick,
// and in a big room hands the per-client snapshot work to a pool of workers
// for the length of the snapshot (fanout.go). Each connection's frames go
// through its byte-bounded outbox: whoever flushes an idle outbox (a
// snapshot worker, mostly) writes it with a write that takes only what the
// socket takes at once, and a writer goroutine, started only then, writes
// what the socket did not take, so a tick never waits for a socket
// (outbox.go, batchconn.go). A panic in a
// connection's callbacks closes that connection (1011); a panic in a room,
// or in one of its snapshot workers, closes that room's clients (1011) and
// the room, whose state is no longer trusted; the process and the other
// rooms carry on.
//
// A room keeps Config.FillBots players by asking its Sim for computer
// players (fillbots.go); they are the game's, not connections, and give
// their places to people as they join.
//
// It is not the game, which it sees through Sim (NewWorldSim adapts
// game.World), nor the wire format, which is netcode's, nor the fleet: it
// takes seat reservations, ticketed hellos and a drain through the hooks
// of fleet.go (Fleet, TicketVerifier, Reserve, Rooms, Drain), which
// server/fleet drives without the engine knowing it. package main in
// server/ only turns flags into a Config and calls New and Serve.
package engine
