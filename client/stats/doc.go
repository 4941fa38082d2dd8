// Package stats turns the client's raw counters into the figures its HUD
// shows: bandwidth in kbit/s over a sliding window.
//
// It is pure: the caller passes the time and the counter values.
package stats
