package netcodetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

func TestSetTicksRewritesTheDecodedTicks(t *testing.T) {
	prev, cur := Views(16)
	msg := SteadyDelta(prev, cur)
	tests := []struct {
		name           string
		tick, baseline uint32
	}{
		{name: "as built", tick: Start + 1, baseline: Start},
		{name: "a second later", tick: Start + 31, baseline: Start + 28},
		{name: "largest", tick: 1<<32 - 1, baseline: 1<<32 - 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			SetTicks(msg, tt.tick, tt.baseline)
			var d netcode.Delta
			require.NoError(t, netcode.DecodeDelta(msg, &d))
			assert.Equal(t, tt.tick, d.Tick)
			assert.Equal(t, tt.baseline, d.Baseline)
			assert.Equal(t, uint32(1), d.LastSeq)
		})
	}
}

func TestViewsMoveHalf(t *testing.T) {
	prev, cur := Views(8)
	require.Len(t, cur.Entities, 8)
	moved := 0
	for i := range prev.Entities {
		if prev.Entities[i] != cur.Entities[i] {
			moved++
		}
	}
	assert.Equal(t, 4, moved)
}
