package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The browser test waits on these names; the overlay outranks the scene once
// the player has been in the game.
func TestPublishedState(t *testing.T) {
	g := &Game{}
	play, dead := newPlayScene(&g.arena), &deadScene{&g.arena}
	for _, tc := range []struct {
		name   string
		scene  Scene
		state  netState
		joined bool
		want   string
	}{
		{"connect screen", &connectScene{}, netIdle, false, StateConnect},
		{"first connection", play, netConnecting, false, StateConnect},
		{"refused before joining", play, netRejected, false, StateConnect},
		{"playing", play, netJoined, true, StatePlaying},
		{"dead", dead, netJoined, true, StateDead},
		{"connection lost", play, netLost, true, StateReconnecting},
		{"redialing", dead, netConnecting, true, StateReconnecting},
		{"session expired", play, netRejected, true, StateReconnecting},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g.scene, g.sess.net.state, g.sess.net.joined = tc.scene, tc.state, tc.joined
			assert.Equal(t, tc.want, g.state())
		})
	}
}
