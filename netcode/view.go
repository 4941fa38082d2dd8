package netcode

import "github.com/skirmish-game/skirmish/game"

// GameInput is in as the game applies it in the step that makes tick: its
// controls, its seq for the shots it fires, and how many ticks behind tick
// its player saw the others (lag compensation, PROTOCOL.md 7.7): they were
// drawn View behind the snapshot it acknowledged. The game caps the rewind;
// with no snapshot acknowledged there is none.
func (in *Input) GameInput(tick uint32) game.Input {
	g := game.Input{Move: in.Move, Aim: float64(in.Aim), Buttons: in.Buttons, Seq: in.Seq}
	if in.Ack != 0 {
		g.Rewind = float64(int32(tick-in.Ack)) + float64(in.View)/ViewScale
	}
	return g
}
