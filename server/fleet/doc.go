// Package fleet makes Skirmish servers one fleet: each server publishes
// itself and its rooms about once a second, every server keeps the live
// directory of all of them (a server silent for PeerTimeout is gone), and
// any server answers POST /match with a seat reserved on the server that
// should take the player, over NATS request/reply, and a signed ticket for
// it. Without NATS the directory holds this server alone.
//
// It is not the game server: it sees the engine through Host (rooms, seat
// reservations, drain state), and the engine checks tickets through the
// engine.TicketVerifier this package provides; the engine does not import
// it. It carries nothing itself between servers: NATS does, embedded
// (StartEmbedded) or external.
package fleet
