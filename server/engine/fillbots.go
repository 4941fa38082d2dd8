package engine

import (
	"slices"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Fill bots: a room keeps at least Config.FillBots players by running
// computer players, so that a first visitor has someone to fight. They are
// the Sim's own players (the arena's minds live in game.World, which steers
// them with the same rules and inputs as people), not connections: they hold
// no seat in the registry, count against no address, take no snapshot and
// cost the room only their share of Step. A person who joins takes a bot's
// place, and a bot comes back when a person leaves, so people never wait
// for bots to make room.

// botSuffix marks a bot in its name, for clients that show names only; the
// board marks it with BoardEntry.Bot too.
const botSuffix = " [bot]"

// botHost is a Sim that can run computer players itself. A Sim without it
// gets no fill bots.
type botHost interface {
	// JoinBot adds a computer player and returns its entity ID; Leave
	// removes it, as it does a person's.
	JoinBot(name string) uint32
}

// bestKeeper is a Sim that keeps each player's session best score for the
// board. Without it the board's Best is the current score.
type bestKeeper interface {
	Best(id uint32) (uint32, bool)
}

func (s *worldSim) JoinBot(name string) uint32 { return uint32(s.w.AddBot(name)) }

func (s *worldSim) Best(id uint32) (uint32, bool) {
	p, ok := s.w.Player(game.EntityID(id))
	if !ok {
		return 0, false
	}
	return uint32(min(max(p.Best, 0), 1<<32-1)), true
}

// fillBots adds or removes bots so that people and bots together make
// FillBots players (at most the room's capacity), removing the newest bot
// first. The room calls it whenever a person joins or leaves.
func (r *room) fillBots() {
	host, ok := r.sim.(botHost)
	if !ok {
		return
	}
	want := max(0, min(r.cfg.FillBots, r.cfg.RoomCapacity)-len(r.members))
	for len(r.bots) > want {
		last := len(r.bots) - 1
		r.sim.Leave(r.bots[last])
		r.bots = r.bots[:last]
	}
	for len(r.bots) < want {
		r.bots = append(r.bots, host.JoinBot(botName(r.botsMade)))
		r.botsMade++
	}
}

// botName is the name of a room's n-th bot: a call sign, numbered once the
// list has gone round, so that the board tells bots apart.
func botName(n int) string {
	signs := [...]string{"Vega", "Orca", "Kite", "Nova", "Flint", "Rook", "Pike", "Wren", "Jinx", "Moth", "Echo", "Zeta"}
	name := signs[n%len(signs)]
	if round := n / len(signs); round > 0 {
		name += string(rune('1' + (round-1)%9))
	}
	return name + botSuffix
}

// boardEntry is the board line of player entity e.
func (r *room) boardEntry(e *netcode.Entity) netcode.BoardEntry {
	best := e.Score
	if k, ok := r.sim.(bestKeeper); ok {
		if b, ok := k.Best(e.ID); ok {
			best = max(b, e.Score)
		}
	}
	return netcode.BoardEntry{ID: e.ID, Name: e.Name, Score: e.Score, Best: best, Bot: slices.Contains(r.bots, e.ID)}
}
