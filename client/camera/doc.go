// Package camera maps between world units and screen pixels and follows the
// player smoothly: an exponential approach that is independent of the frame
// rate, so a 144 Hz screen and a 30 Hz one see the same motion.
//
// It is pure math; nothing here draws.
package camera
