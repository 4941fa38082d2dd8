package game

import (
	"cmp"
	"slices"
)

// Inputs as commands. Each input a player gives is run exactly once, one
// movement and gun step each, in the order given: a tick that names a
// player twice (a server catching up after a stall) runs both, and a tick
// that holds a player (its input is late) runs none. So a player's
// movement and shots depend only on the inputs it gave, not on when they
// arrived, and a client that predicts one step per input lands where the
// server does, whatever the network did in between. A player a tick does
// not name at all runs its last input again (one with no connection,
// slowing to rest).

// command is one entry of a tick's inputs, by player index.
type command struct {
	player int
	hold   bool
	in     Input
}

// takeInputs turns a tick's inputs into commands, in player order and, for
// one player, in the order given. Unknown IDs are ignored.
func (w *World) takeInputs(inputs []PlayerInput) {
	w.cmds = w.cmds[:0]
	for _, pi := range inputs {
		i, ok := w.playerIndex(pi.ID)
		if !ok {
			continue
		}
		in := pi.Input
		in.Move &= MoveMask
		in.Buttons &= ButtonsMask
		w.cmds = append(w.cmds, command{player: i, hold: pi.Hold, in: in})
	}
	slices.SortStableFunc(w.cmds, func(a, b command) int { return cmp.Compare(a.player, b.player) })
}

// runInputs runs the commands of player i, which start at c, and returns
// where the next player's start.
func (w *World) runInputs(i, c int, dt float64, size Vec) int {
	p := &w.players[i]
	if c == len(w.cmds) || w.cmds[c].player != i {
		w.playerStep(p, p.Input, dt, size)
		return c
	}
	for ; c < len(w.cmds) && w.cmds[c].player == i; c++ {
		if !w.cmds[c].hold {
			w.playerStep(p, w.cmds[c].in, dt, size)
		}
	}
	return c
}

// playerStep runs one input of p: its movement, then its gun.
func (w *World) playerStep(p *Player, in Input, dt float64, size Vec) {
	p.Input = in
	MovePlayer(p, in, dt, size)
	st := StatsFor(p.Score)
	if Trigger(p, FireTicks(st, w.cfg.TickRate)) {
		w.fire(p, st.ShotSpeed)
	}
}
