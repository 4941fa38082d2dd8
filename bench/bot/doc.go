// Package bot is one load-test client of the Skirmish protocol: it dials the
// server over a real WebSocket (on Linux, gws's handshake and then frames
// read and written on the socket by the bot's own link, wslink.go, cheap
// enough for a thousand bots on one core; client/transport's gws Conn for a
// simulated network, wss:// and other systems), says hello,
// sends inputs at the tick rate with the newest applied snapshot as its ack,
// pings once a second, and applies every snapshot delta to the baseline it
// names with a netcode.Receiver, exactly as a game client does. It renders
// nothing and predicts nothing.
//
// Bots record what they see into a shared Recorder (lock-free histograms and
// counters). Scheduling many bots, ramps and reports belong to package swarm
// and package loadtest.
package bot
