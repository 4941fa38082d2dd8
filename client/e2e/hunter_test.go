//go:build !js

package e2e

import (
	"context"
	"math"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Hunting: close in to within hunterRange of the target, and fire inside
// hunterFire, where a shot (900 units/s, 1 s) crosses the gap in a few
// ticks and a still target cannot miss being hit.
const (
	hunterName  = "HUNTER"
	hunterRange = 200.0
	hunterFire  = 420.0
)

// hunter is a protocol client that, once let loose, flies at the player it
// tracks and shoots until it has killed it: a kill within seconds, for the
// tests of the kill feed and the death screen.
type hunter struct {
	*observer
	loose  atomic.Bool
	killed chan struct{} // closed when the target died by the hunter's hand
}

// dialHunter joins addr's room e2eRoom as hunterName, tracking target; it
// holds still until loose.
func dialHunter(t *testing.T, addr, target string) *hunter {
	t.Helper()
	h := &hunter{killed: make(chan struct{})}
	h.observer = dialPlayer(t, addr, hunterName, target, h.steer)
	return h
}

// steer fills in the hunter's input for the view st. It runs on the read
// loop with o.mu held.
func (h *hunter) steer(o *observer, st *netcode.State, in *netcode.Input) {
	var me, them *netcode.Entity
	for i := range st.Entities {
		e := &st.Entities[i]
		switch {
		case e.ID == o.welcome.PlayerID:
			me = e
		case e.Kind == game.KindPlayer && e.Name == o.target:
			them = e
		}
	}
	if me == nil || them == nil || me.Timer > 0 {
		return
	}
	if them.Timer > 0 {
		if them.Owner == me.ID && !isClosed(h.killed) {
			close(h.killed)
		}
		return
	}
	if !h.loose.Load() {
		return
	}
	d := them.Pos().Sub(me.Pos())
	dist := d.Len()
	in.Aim = float32(math.Atan2(d.Y, d.X))
	if dist > hunterRange {
		in.Move = towards(d)
	}
	if dist < hunterFire {
		in.Buttons = game.ButtonFire
	}
}

// towards is the 8-way Move closest to the direction d.
func towards(d game.Vec) uint8 {
	var m uint8
	l := d.Len()
	const diag = 0.38 // sin 22.5°
	switch {
	case d.X > diag*l:
		m |= game.MoveRight
	case d.X < -diag*l:
		m |= game.MoveLeft
	}
	switch {
	case d.Y > diag*l:
		m |= game.MoveDown
	case d.Y < -diag*l:
		m |= game.MoveUp
	}
	return m
}

// requireKill lets the hunter loose and waits, within ctx, for the kill.
func (h *hunter) requireKill(t *testing.T, ctx context.Context) {
	t.Helper()
	h.loose.Store(true)
	require.NoError(t, h.wait(ctx, h.killed, hunterName+" to kill "+h.target))
}
