package game

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInputsRunOnceEach: a player's inputs give the same player whether
// they come one a tick or late, held and then caught up two a tick, so a
// client predicting one step per input is right whatever the network did.
// Not being named at all repeats the last input.
func TestInputsRunOnceEach(t *testing.T) {
	script := func(k int) Input {
		moves := []uint8{MoveRight, MoveRight | MoveDown, 0, MoveUp, MoveLeft | MoveUp}
		in := Input{Move: moves[k/3%len(moves)], Aim: float64(k) / 7, Seq: uint32(k + 1)}
		if k%4 == 0 {
			in.Buttons = ButtonFire
		}
		return in
	}
	const n = 24
	tests := []struct {
		name  string
		ticks [][]int // the inputs (script indexes) given in each tick; nil: held
		same  bool
	}{
		{name: "one a tick", ticks: onePerTick(n), same: true},
		{name: "held three ticks, then two a tick", ticks: concatTicks(onePerTick(5), [][]int{nil, nil, nil, {5, 6}, {7, 8}, {9, 10}}, shift(onePerTick(n-11), 11)), same: true},
		{name: "all at once", ticks: concatTicks([][]int{nil, nil}, [][]int{seqRange(0, n)}), same: true},
		{name: "an input skipped is not the same", ticks: concatTicks(onePerTick(5), shift(onePerTick(n-6), 6)), same: false},
	}
	run := func(t *testing.T, ticks [][]int) (*Player, []Projectile) {
		w := NewWorld(quietConfig())
		id := w.AddPlayer("p")
		mustPlayer(t, w, id).Pos = Vec{2000, 2000}
		for _, tick := range ticks {
			var ins []PlayerInput
			if tick == nil {
				ins = append(ins, PlayerInput{ID: id, Hold: true, Input: script(99)})
			}
			for _, k := range tick {
				ins = append(ins, PlayerInput{ID: id, Input: script(k)})
			}
			w.Step(ins)
		}
		p := *mustPlayer(t, w, id)
		return &p, w.Projectiles()
	}
	want, wantShots := run(t, onePerTick(n))
	require.NotEmpty(t, wantShots)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, shots := run(t, tt.ticks)
			if !tt.same {
				assert.NotEqual(t, want.Pos, got.Pos)
				return
			}
			assert.Equal(t, want.Pos, got.Pos)
			assert.Equal(t, want.Vel, got.Vel)
			assert.Equal(t, want.Aim, got.Aim)
			assert.Equal(t, want.Cooldown, got.Cooldown)
			require.Len(t, shots, len(wantShots), "the same shots")
			for i := range shots {
				assert.Equal(t, wantShots[i].Seq, shots[i].Seq, "fired by the same inputs")
				assert.Equal(t, wantShots[i].Vel, shots[i].Vel)
			}
		})
	}
	t.Run("not named: the last input again", func(t *testing.T) {
		w := NewWorld(quietConfig())
		id := w.AddPlayer("p")
		w.Step([]PlayerInput{{ID: id, Input: Input{Move: MoveRight}}})
		x := mustPlayer(t, w, id).Pos.X
		w.Step(nil)
		assert.Greater(t, mustPlayer(t, w, id).Pos.X, x)
		x = mustPlayer(t, w, id).Pos.X
		w.Step([]PlayerInput{{ID: id, Hold: true}})
		assert.Equal(t, x, mustPlayer(t, w, id).Pos.X, "held: it waits")
	})
}

func onePerTick(n int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = []int{i}
	}
	return out
}

func seqRange(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func shift(ticks [][]int, by int) [][]int {
	for _, tick := range ticks {
		for i := range tick {
			tick[i] += by
		}
	}
	return ticks
}

func concatTicks(parts ...[][]int) [][]int {
	var out [][]int
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
