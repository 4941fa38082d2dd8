package floor

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// entityBody encodes the fixed entities every snapshot carries, as many
// drones as fit in size bytes of message (at least one): a full snapshot's
// changes, so an observer's receiver creates each of them from nothing.
// It returns the encoded changes and how many there are.
func entityBody(size int) ([]byte, int) {
	var body []byte
	var head [32]byte
	n := 0
	for {
		e := drone(n)
		next := netcode.AppendEntityDelta(body, netcode.CreateMask(&e), &e)
		// The widest head and tail this many entities may have, so that no
		// tick or seq makes a snapshot bigger than size.
		wrap := len(netcode.AppendSnapshotHead(head[:0], netcode.SnapshotHead{Tick: math.MaxUint32, LastSeq: math.MaxUint32, InputDelay: 1, Changes: n + 1})) + 1
		if n > 0 && len(next)+wrap > size {
			return body, n
		}
		body, n = next, n+1
	}
}

// drone is the i-th fixed entity: a moving drone on a grid over the arena,
// every field in range so that the decoder takes it.
func drone(i int) netcode.Entity {
	const cols, step = 50, game.DefaultWorldSize / 52
	return netcode.Entity{
		ID:    uint32(i + 1),
		Kind:  game.KindDrone,
		X:     netcode.QuantizePos(step * float64(1+i%cols)),
		Y:     netcode.QuantizePos(step * float64(1+(i/cols)%cols)),
		VX:    netcode.QuantizeVel(float64(i%7) - 3),
		VY:    netcode.QuantizeVel(float64(i%5) - 2),
		Angle: uint16(i * 2654435761 % game.AngleSteps),
		HP:    game.DroneHP,
	}
}

// appendSnapshot appends the full snapshot of tick for a client whose newest
// applied input is lastSeq: the client's own head, then the shared body.
func appendSnapshot(dst []byte, tick, lastSeq uint32, body []byte, entities int) []byte {
	var delay uint16
	if lastSeq != 0 {
		delay = 1 // applied on the first tick after it arrived, as a server that keeps up does
	}
	dst = netcode.AppendSnapshotHead(dst, netcode.SnapshotHead{Tick: tick, LastSeq: lastSeq, InputDelay: delay, Changes: entities})
	dst = append(dst, body...)
	return netcode.AppendSnapshotTail(dst, nil)
}

// appendBoard appends a board of fixed entries for a room of players.
func appendBoard(dst []byte, players int) ([]byte, error) {
	b := netcode.Board{Kind: netcode.KindBoard, Players: uint16(min(players, 1<<16-1))}
	for i := range netcode.MaxBoardEntries {
		score := uint32(1000 * (netcode.MaxBoardEntries - i))
		b.Entries = append(b.Entries, netcode.BoardEntry{ID: uint32(i + 1), Name: fmt.Sprintf("floor-%d", i+1), Score: score, Best: score})
	}
	out, err := netcode.Append(dst, &b)
	if err != nil {
		return dst, fmt.Errorf("floor: board: %w", err)
	}
	return out, nil
}

// appendFrame appends payload as one unmasked binary WebSocket frame (RFC
// 6455, 5.2), what gws's WriteMessage writes for it, so that the tick can
// write a client's frames of a tick in one system call.
func appendFrame(dst, payload []byte) []byte {
	n := len(payload)
	dst = append(dst, 0x80|0x2) // FIN, binary
	switch {
	case n < 126:
		dst = append(dst, byte(n))
	case n <= 0xffff:
		dst = binary.BigEndian.AppendUint16(append(dst, 126), uint16(n))
	default:
		dst = binary.BigEndian.AppendUint64(append(dst, 127), uint64(n))
	}
	return append(dst, payload...)
}
