package netcode

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
)

func TestGameInputRewind(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		tick uint32
		want float64
	}{
		{name: "nothing acknowledged: no rewind", in: Input{Seq: 4, View: 512}, tick: 10, want: 0},
		{name: "ticks since the ack plus the view", in: Input{Seq: 4, Ack: 100, View: 544}, tick: 103, want: 5.125},
		{name: "drawn at the ack", in: Input{Seq: 4, Ack: 100}, tick: 101, want: 1},
		{name: "across the tick counter's wrap", in: Input{Seq: 4, Ack: 1<<32 - 2, View: 256}, tick: 1, want: 4},
		{name: "an ack from the future is negative, which the game takes as none", in: Input{Seq: 4, Ack: 50}, tick: 40, want: -10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.in.GameInput(tt.tick)
			assert.Equal(t, tt.want, g.Rewind)
			assert.Equal(t, tt.in.Seq, g.Seq, "shots carry the seq")
		})
	}
	t.Run("controls", func(t *testing.T) {
		in := Input{Seq: 9, Move: game.MoveLeft, Aim: 1.5, Buttons: game.ButtonFire}
		assert.Equal(t, game.Input{Move: game.MoveLeft, Aim: 1.5, Buttons: game.ButtonFire, Seq: 9}, in.GameInput(3))
	})
}
