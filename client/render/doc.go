// Package render draws the client with Ebiten: the arena (background grid
// and borders, pellets, drones, shots and ships with their labels,
// explosions, the minimap), the heads-up display over it (connection and
// performance figures, the scoreboard, the own health and score, the centred
// banners of the death and reconnect screens: hud_*.go, sized by HUDScale),
// the kill feed (feed.go), hit markers, damage numbers and the flash of being
// hit (marks.go), the menu (menu.go), the touch sticks (sticks.go), and the Camera that
// maps world units to pixels. It also owns the GPU copies of the sprites and
// the font.
//
// It draws what it is given (entities already interpolated, a camera already
// placed, figures already counted) and keeps no game state. The Camera
// (camera.go) is pure math, independent of the frame rate, and does not
// draw.
package render
