package engine

import (
	"sync/atomic"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// counterSim is a tiny second game behind Sim: players only, on a 1000x1000
// field, moving 4 units a tick by their Move bits, scoring a point a tick.
// It can be told to panic in Step.
type counterSim struct {
	tick    uint32
	next    uint32
	players []netcode.Entity
	moves   map[uint32]uint8
	panicky *atomic.Bool
}

func newCounterSim(panicky *atomic.Bool) SimFactory {
	return func(int, uint64) Sim { return &counterSim{next: 1, moves: make(map[uint32]uint8), panicky: panicky} }
}

func (s *counterSim) Join(name string) uint32 {
	id := s.next
	s.next++
	s.players = append(s.players, netcode.Entity{ID: id, Kind: game.KindPlayer, Name: name, HP: 100,
		X: netcode.QuantizePos(500), Y: netcode.QuantizePos(500)})
	return id
}

func (s *counterSim) Leave(id uint32) {
	for i := range s.players {
		if s.players[i].ID == id {
			s.players = append(s.players[:i], s.players[i+1:]...)
			delete(s.moves, id)
			return
		}
	}
}

func (s *counterSim) Input(id uint32, in netcode.Input) { s.moves[id] = in.Move }
func (s *counterSim) Hold(uint32)                       {}
func (s *counterSim) Tick() uint32                      { return s.tick }
func (s *counterSim) Size() (float64, float64)          { return 1000, 1000 }

func (s *counterSim) Step() {
	if s.panicky != nil && s.panicky.Load() {
		panic("counterSim: told to panic")
	}
	s.tick++
	for i := range s.players {
		p := &s.players[i]
		p.Score++
		if s.moves[p.ID]&game.MoveRight != 0 && p.X < netcode.QuantizePos(990) {
			p.X += 4 * game.PosScale
		}
	}
}

func (s *counterSim) State(dst []netcode.Entity) []netcode.Entity {
	return append(dst[:0], s.players...)
}
