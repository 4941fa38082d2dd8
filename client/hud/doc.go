// Package hud draws the heads-up display over the arena: connection and
// performance figures, the scoreboard, the player's own health and score, and
// the centred banners of the death and reconnect screens.
//
// It only draws what it is handed; counting and timing happen in the caller.
package hud
