// Package assets holds Skirmish's images, embedded in the binary: the ship,
// drone, pellet, shot and glow sprites and the window icon.
//
// The PNG files are drawn by the program in gen/ (go generate ./assets) and
// committed, so a build never runs it. The package only embeds and decodes;
// turning images into GPU textures is the client's business.
package assets
