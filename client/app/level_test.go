package app

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
)

func TestLevelWatch(t *testing.T) {
	t0 := time.Unix(1000, 0)
	up := uint32(game.LevelScore(2))
	tests := []struct {
		name       string
		steps      []uint32 // scores, one a second
		self       []uint32 // the player of each step; nil: 1 throughout
		wantRaised float64
		wantBest   uint32
	}{
		{name: "no level-up yet", steps: []uint32{0, 5, 10}, wantRaised: -1, wantBest: 10},
		{name: "a level-up two seconds ago", steps: []uint32{0, up, up + 1, up + 2}, wantRaised: 2, wantBest: up + 2},
		{name: "joining at a level is no level-up", steps: []uint32{up, up}, wantRaised: -1, wantBest: up},
		{name: "a death keeps the best", steps: []uint32{0, up, up / 2}, wantRaised: 1, wantBest: up},
		{name: "another player starts afresh", steps: []uint32{0, up, 3}, self: []uint32{1, 1, 2}, wantRaised: -1, wantBest: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l levelWatch
			var got struct {
				raised float64
				best   uint32
			}
			for i, s := range tt.steps {
				self := uint32(1)
				if tt.self != nil {
					self = tt.self[i]
				}
				lv := l.observe(self, s, t0.Add(time.Duration(i)*time.Second))
				got.raised, got.best = lv.Raised, lv.Best
			}
			assert.Equal(t, tt.wantRaised, got.raised)
			assert.Equal(t, tt.wantBest, got.best)
		})
	}
}
