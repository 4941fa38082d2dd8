// Package app is the Skirmish client as an Ebiten game: its Config, the Game
// with its scenes (connect, playing, dead) and the reconnect overlay, input
// reading, and the hooks the end-to-end tests drive (autoplay, screenshot,
// the page's data-state).
//
// The netcode lives in client/match and client/link, the drawing in
// client/render and client/hud; this package wires them to Ebiten's loop.
package app
