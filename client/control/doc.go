// Package control turns what the player holds (keys, mouse) into a
// game.Input, and scripts an autopilot input for demos and end-to-end tests.
//
// It is pure: reading the keyboard is the caller's job, so everything here is
// testable without a window.
package control
