package netcodetest

import (
	"encoding/binary"
	"fmt"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Start is the tick a steady run begins at: above 65535, so msgpack writes
// every later tick and baseline as a uint32 at the fixed offsets SetTicks
// rewrites.
const Start = 1 << 20

// Views builds two consecutive views of n entities in which every moving
// one (players and drones, half of them) moved and has a velocity.
func Views(n int) (prev, cur *netcode.State) {
	prev, cur = &netcode.State{Tick: 1}, &netcode.State{Tick: 2}
	for i := range n {
		e := netcode.Entity{ID: uint32(i + 1), Kind: game.KindPellet, X: uint16(i * 7), Y: uint16(i * 13)}
		switch i % 4 {
		case 0:
			e.Kind, e.Name, e.HP = game.KindPlayer, fmt.Sprintf("bot%d", i), 100
		case 1:
			e.Kind, e.HP = game.KindDrone, 3
		}
		prev.Entities = append(prev.Entities, e)
		if e.Kind != game.KindPellet {
			e.X, e.VX = e.X+5, 80
		}
		cur.Entities = append(cur.Entities, e)
	}
	return prev, cur
}

// Full is prev as a full snapshot at tick Start.
func Full(prev *netcode.State) netcode.Delta {
	full := netcode.Diff(nil, prev)
	full.Tick = Start
	return full
}

// SteadyDelta is the message of the delta from prev to cur at tick Start+1
// over baseline Start, with the player's input 1 applied. It sets absolute
// values, so applied to either view it gives cur: after a run of them every
// view held is cur, and any baseline SetTicks names fits.
func SteadyDelta(prev, cur *netcode.State) []byte {
	d := netcode.Diff(prev, cur)
	d.Tick, d.Baseline, d.LastSeq = Start+1, Start, 1
	return netcode.AppendDelta(nil, &d)
}

// SetTicks rewrites a SteadyDelta message's tick and baseline in place.
func SetTicks(msg []byte, tick, baseline uint32) {
	binary.BigEndian.PutUint32(msg[3:7], tick)
	binary.BigEndian.PutUint32(msg[8:12], baseline)
}
