package netcode

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWelcomeRates(t *testing.T) {
	tests := []struct {
		name                 string
		tickRate, snapRate   uint16
		wantSnaps            int
		wantTicksPerSnapshot uint32
	}{
		{name: "a snapshot every tick", tickRate: 30, snapRate: 30, wantSnaps: 30, wantTicksPerSnapshot: 1},
		{name: "0 means the tick rate", tickRate: 60, snapRate: 0, wantSnaps: 60, wantTicksPerSnapshot: 1},
		{name: "every third tick", tickRate: 60, snapRate: 20, wantSnaps: 20, wantTicksPerSnapshot: 3},
		{name: "rounds down", tickRate: 64, snapRate: 20, wantSnaps: 20, wantTicksPerSnapshot: 3},
		{name: "faster than ticks", tickRate: 10, snapRate: 20, wantSnaps: 20, wantTicksPerSnapshot: 1},
		{name: "no rates at all", wantSnaps: 0, wantTicksPerSnapshot: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Welcome{TickRate: tt.tickRate, SnapshotRate: tt.snapRate}
			assert.Equal(t, tt.wantSnaps, w.SnapshotsPerSecond())
			assert.Equal(t, tt.wantTicksPerSnapshot, w.TicksPerSnapshot())
		})
	}
}
