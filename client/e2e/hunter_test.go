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

// Hunter modes, in the order a test moves through them.
const (
	huntIdle     int32 = iota // hold still
	huntApproach              // close in on the target, hold fire
	huntAttack                // close in and fire until it is dead
)

// hunter is a protocol client that flies at the player it tracks and, once
// told to attack, shoots until it has killed it: a kill within seconds, for
// the tests of the kill feed and the death screen. Approaching first lets
// the player shoot it.
type hunter struct {
	*observer
	mode   atomic.Int32
	near   chan struct{} // closed when first within hunterRange of the target
	hurt   chan struct{} // closed when a shot first hit the hunter
	killed chan struct{} // closed when the target died by the hunter's hand
	toward game.Vec      // from the target to the hunter in the last view; under o.mu
	hp     uint8         // the hunter's in the last view; under o.mu
}

// dialHunter joins addr's room e2eRoom as hunterName, tracking target; it
// holds still until a require method sends it.
func dialHunter(t *testing.T, addr, target string) *hunter {
	t.Helper()
	h := &hunter{near: make(chan struct{}), hurt: make(chan struct{}), killed: make(chan struct{})}
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
	// Drones do not shoot, and their touch takes 5 HP: a loss of a
	// shot's damage from one view to the next is a player's shot.
	if int(h.hp)-int(me.HP) >= game.ProjectileDamage && !isClosed(h.hurt) {
		close(h.hurt)
	}
	h.hp = me.HP
	if them.Timer > 0 {
		if them.Owner == me.ID && !isClosed(h.killed) {
			close(h.killed)
		}
		return
	}
	mode := h.mode.Load()
	if mode == huntIdle {
		return
	}
	d := them.Pos().Sub(me.Pos())
	h.toward = d.Scale(-1)
	dist := d.Len()
	in.Aim = float32(math.Atan2(d.Y, d.X))
	if dist > hunterRange {
		in.Move = towards(d)
	} else if !isClosed(h.near) {
		close(h.near)
	}
	if mode == huntAttack && dist < hunterFire {
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

// requireNear sends the hunter at the target and waits, within ctx, until
// it is close; it returns the direction from the target to the hunter.
func (h *hunter) requireNear(t *testing.T, ctx context.Context) game.Vec {
	t.Helper()
	h.mode.Store(huntApproach)
	require.NoError(t, h.wait(ctx, h.near, hunterName+" to reach "+h.target))
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.toward
}

// requireHurt waits, within ctx, for a shot to hit the hunter.
func (h *hunter) requireHurt(t *testing.T, ctx context.Context) {
	t.Helper()
	require.NoError(t, h.wait(ctx, h.hurt, h.target+" to hit "+hunterName))
}

// requireKill lets the hunter fire and waits, within ctx, for the kill.
func (h *hunter) requireKill(t *testing.T, ctx context.Context) {
	t.Helper()
	h.mode.Store(huntAttack)
	require.NoError(t, h.wait(ctx, h.killed, hunterName+" to kill "+h.target))
}
