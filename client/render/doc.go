// Package render draws the arena with Ebiten: the background grid and
// borders, pellets, drones, shots and ships with their labels, explosions,
// and the minimap. It also owns the GPU copies of the sprites and the font.
//
// It reads what it is given (entities already interpolated, a camera already
// placed) and keeps no game state; the HUD's panels are in client/hud.
package render
