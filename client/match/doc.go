// Package match is the client's side of one joined session: it applies the
// server's snapshots to the acknowledged baselines, predicts the player's own
// ship, interpolates everyone else, keeps the clock in sync with Ping/Pong and
// numbers the inputs it sends. From consecutive snapshots it tells what
// changed (events.go: shots fired, entities gone, players hurt or killed),
// infers which of the own shots hit (hits.go: the wire does not say), and
// brings the once-a-second scoreboard up to date with the scores in view
// (board.go).
//
// It is pure netcode glue over values and time.Time: no window, no socket, so
// all of it is tested without either. Drawing and input reading live in
// client/app and client/render.
package match
