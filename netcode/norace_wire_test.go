//go:build !race

package netcode

const wireRaceEnabled = false
