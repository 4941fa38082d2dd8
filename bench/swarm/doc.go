// Package swarm runs many bots against one server: it connects them over a
// ramp, spreads them over rooms, and drives their inputs at the tick rate
// from a few scheduler goroutines (not one timer per bot), so a thousand bots
// cost little beyond their sockets and read loops. With churn it keeps
// taking bots out and bringing them back (new players, and dropped ones
// resumed with their token), for soaks.
//
// It measures nothing itself; the bots record into a shared bot.Recorder.
package swarm
