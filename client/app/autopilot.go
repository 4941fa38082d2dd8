package app

import (
	"math"

	"github.com/skirmish-game/skirmish/game"
)

// Autopilot timing, in seconds.
const (
	autopilotLeg       = 1.0  // each straight leg of the flight pattern
	autopilotTurnRate  = 1.5  // radians per second the aim sweeps
	autopilotFirePhase = 0.75 // seconds between the starts of two bursts
	autopilotBurst     = 0.25 // seconds the trigger is held in each burst
)

// autopilotLegs is the flight pattern: right, down, left, up, then the
// diagonals, so every Move bit and combination is exercised.
var autopilotLegs = [...]uint8{
	game.MoveRight, game.MoveDown, game.MoveLeft, game.MoveUp,
	game.MoveRight | game.MoveDown, game.MoveLeft | game.MoveUp,
	game.MoveLeft | game.MoveDown, game.MoveRight | game.MoveUp,
}

// Autopilot returns the scripted input for a tick of a client running at
// tickRate ticks per second: a changing flight pattern, a rotating aim and
// short bursts of fire. It depends only on its arguments, so a test run is the
// same every time.
func Autopilot(tick uint64, tickRate int) game.Input {
	t := float64(tick) / float64(tickRate)
	leg := int(t/autopilotLeg) % len(autopilotLegs)
	aim := math.Mod(t*autopilotTurnRate, 2*math.Pi)
	var buttons uint8
	if math.Mod(t, autopilotFirePhase) < autopilotBurst {
		buttons = game.ButtonFire
	}
	return game.Input{Move: autopilotLegs[leg], Aim: aim, Buttons: buttons}
}
