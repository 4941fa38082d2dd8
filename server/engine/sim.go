package engine

import (
	"crypto/rand"
	"encoding/binary"
	"hash/fnv"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Sim is the game as a room sees it. A room's goroutine is the only caller,
// so implementations need no locking. Another game plugs in by implementing
// it; sessions, rooms and snapshots do not change.
type Sim interface {
	// Join adds a player and returns its entity ID.
	Join(name string) uint32
	// Leave removes a player and its entity.
	Leave(id uint32)
	// Input gives the player an input for the next Step; given twice, the
	// player runs both in that Step, in turn (a catch-up). The last one
	// given persists for Steps where the player gets neither an Input nor
	// a Hold (no connection).
	Input(id uint32, in netcode.Input)
	// Hold tells the next Step that the player's input is late: the player
	// waits for it, neither moving nor firing, rather than repeat the last.
	Hold(id uint32)
	// Step advances one tick.
	Step()
	// Tick is how many Steps have run.
	Tick() uint32
	// Size is the world's extent in world units: positions lie in [0, w]x[0, h].
	Size() (w, h float64)
	// State appends every entity, quantized and sorted by ID, to dst[:0].
	// Players have Kind game.KindPlayer, Name and Score (the scoreboard).
	State(dst []netcode.Entity) []netcode.Entity
}

// SimFactory makes a room's Sim; seed is the room's seed.
type SimFactory func(tickRate int, seed uint64) Sim

// worldSim adapts game.World to Sim.
type worldSim struct {
	w      *game.World
	inputs []game.PlayerInput // this tick's inputs, reused
}

// NewWorldSim is the SimFactory for Skirmish's arena, game.World with its
// default size and population.
func NewWorldSim(tickRate int, seed uint64) Sim {
	cfg := game.DefaultConfig()
	cfg.TickRate = tickRate
	cfg.Seed = seed
	return &worldSim{w: game.NewWorld(cfg)}
}

func (s *worldSim) Join(name string) uint32 { return uint32(s.w.AddPlayer(name)) }
func (s *worldSim) Leave(id uint32)         { s.w.RemovePlayer(game.EntityID(id)) }
func (s *worldSim) Tick() uint32            { return s.w.Tick() }

func (s *worldSim) Input(id uint32, in netcode.Input) {
	// The next Step makes the tick after this one.
	s.inputs = append(s.inputs, game.PlayerInput{ID: game.EntityID(id), Input: in.GameInput(s.w.Tick() + 1)})
}

func (s *worldSim) Hold(id uint32) {
	s.inputs = append(s.inputs, game.PlayerInput{ID: game.EntityID(id), Hold: true})
}

func (s *worldSim) Step() {
	s.w.Step(s.inputs)
	s.inputs = s.inputs[:0]
}

func (s *worldSim) Size() (w, h float64) {
	v := s.w.Size()
	return v.X, v.Y
}

func (s *worldSim) State(dst []netcode.Entity) []netcode.Entity {
	return netcode.CaptureWorld(dst, s.w)
}

// roomSeed gives each room its own world: the configured seed mixed with the
// room's name, so a fixed -seed reproduces every room; seed 0 is random.
func roomSeed(seed uint64, room string) uint64 {
	if seed == 0 {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		seed = binary.LittleEndian.Uint64(b[:])
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(room)) // hash writes never fail
	return seed ^ h.Sum64()
}
