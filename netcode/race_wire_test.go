//go:build race

package netcode

// wireRaceEnabled: under -race, sync.Pool drops items on purpose, so the
// encoders and decoders are rebuilt now and then and allocation counts are not
// meaningful.
const wireRaceEnabled = true
