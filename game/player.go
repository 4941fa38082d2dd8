package game

import "slices"

// AddPlayer spawns a player at a random position with full HP and returns its ID.
func (w *World) AddPlayer(name string) EntityID {
	p := Player{ID: w.newID(), Name: name}
	w.spawnPlayer(&p)
	// The new ID is the largest yet, so appending keeps the order.
	w.players = append(w.players, p)
	return p.ID
}

// RemovePlayer removes a player; its projectiles fly on but score for no one.
func (w *World) RemovePlayer(id EntityID) bool {
	i, ok := w.playerIndex(id)
	if ok {
		w.players = slices.Delete(w.players, i, i+1)
		w.removeBot(id)
	}
	return ok
}

// Player returns the player with that ID. The pointer is into the World's
// slice: valid until the next Step, AddPlayer or RemovePlayer.
func (w *World) Player(id EntityID) (*Player, bool) {
	if i, ok := w.playerIndex(id); ok {
		return &w.players[i], true
	}
	return nil, false
}

func (w *World) playerIndex(id EntityID) (int, bool) {
	lo, hi := 0, len(w.players)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if w.players[m].ID < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(w.players) && w.players[lo].ID == id
}

// spawnPlayer puts p in play at a random position on the grid.
func (w *World) spawnPlayer(p *Player) {
	lo, hi := playerBounds(w.Size())
	p.Pos = Vec{snapPos(w.rng.between(lo.X, hi.X)), snapPos(w.rng.between(lo.Y, hi.Y))}
	p.Vel = Vec{}
	p.HP = StatsFor(p.Score).MaxHP
	p.Respawn = 0
	p.Cooldown = 0
}

func (w *World) stepPlayers(dt float64) {
	size := w.Size()
	c := 0
	for i := range w.players {
		p := &w.players[i]
		if p.Respawn > 0 {
			p.Respawn--
			if p.Respawn == 0 {
				w.spawnPlayer(p)
			}
		}
		c = w.runInputs(i, c, dt, size)
	}
}

// fire launches a projectile from p's rim along its aim at speed.
func (w *World) fire(p *Player, speed float64) {
	pos, vel := ShotFrom(p.Pos, p.Aim, speed)
	w.projectiles = append(w.projectiles, Projectile{
		ID:     w.newID(),
		Owner:  p.ID,
		Pos:    pos,
		Vel:    vel,
		TTL:    w.ticks.projectileTTL,
		Seq:    p.Input.Seq,
		Rewind: w.shotRewind(p.Input.Rewind),
	})
}

// damagePlayer hurts players[i]; by is the attacker's ID (0 for a drone).
// On a kill the victim pays a bounty of half its score, to the killer if any.
func (w *World) damagePlayer(i, damage int, by EntityID) {
	p := &w.players[i]
	p.HP -= damage
	if p.HP > 0 {
		return
	}
	bounty := p.Score / 2
	p.Score -= bounty
	p.HP = 0
	p.Respawn = w.ticks.respawn
	p.KilledBy = by
	p.Vel = Vec{}
	p.Cooldown = 0
	w.award(by, KillScore+bounty)
}

// award adds points to a player, if it is still in the world.
func (w *World) award(id EntityID, points int) {
	if i, ok := w.playerIndex(id); ok {
		w.gain(i, points)
	}
}
