package game

import (
	"cmp"
	"math"
	"slices"
)

// Bots are computer players. A bot is a Player like any other (it scores,
// levels, dies and respawns by the same rules) whose Input the World writes
// itself at the start of each Step, from what the bot sees of the World.
// Its mind lives here, in the World, rather than in the server because it
// reads the whole World (drones, pellets, velocities) that the server only
// sees quantized, and because being part of the World makes it as
// deterministic as the rest: a bot's choices come from its own PRNG, seeded
// from the World's, so a room's seed replays its bots too, and Clone and
// Hash cover them.
//
// To be beatable a bot looks around only every BotReactionMin to
// BotReactionMax seconds (in between it follows what it saw), aims with an
// error drawn anew at each look, and leads a moving target only partly; a
// skill drawn when it joins makes some bots sharper than others, so a
// room's board is not a row of equals.

// Bot tuning. Distances are world units.
const (
	BotReactionMin = 0.25 // seconds between looks around, at least...
	BotReactionMax = 0.5  // ... and at most
	BotAimError    = 0.14 // radians, at most, either way, for the most skilled bot
	BotSkillMin    = 0.4  // a bot's skill is drawn in [BotSkillMin, 1] when it joins: it divides its aim error and stretches its reaction time
	BotLeadMin     = 0.3  // the share of a target's motion during a shot's flight it aims ahead by, at least...
	BotLeadMax     = 0.9  // ... and at most
	BotSight       = 650.0
	BotFightRange  = 550.0 // an enemy this near is fought (or fled from)
	BotKeepMin     = 220.0 // in a fight a bot backs off inside this...
	BotKeepMax     = 380.0 // ... and closes in beyond this, and circles between
	BotFleeHP      = 0.35  // share of max HP under which a bot runs from a fight
	BotDroneRange  = 600.0
	BotDroneKeep   = 200.0
	BotPelletRange = 450.0
	BotRoamRange   = 3000.0 // a bot may head for the nearest player this near...
	BotHuntChance  = 0.05   // ... at a look with this chance, and then keeps heading there: fights happen
	BotTrigger     = 0.75   // the chance that a bot fires at all until its next look: it pauses now and then
	BotShotReach   = 0.85   // share of its shots' range it fires within
)

type botMode uint8

const (
	botWander  botMode = iota // towards goal, a random point
	botRoam                   // towards a player far away: where the action is
	botCollect                // towards a pellet
	botDrone                  // shooting a drone
	botFight                  // fighting a player
	botFlee                   // running from a player, firing back
)

// Bot is the mind of one computer player.
type Bot struct {
	ID     EntityID
	rng    rng
	skill  float64 // BotSkillMin..1
	look   int     // ticks until it looks around again
	mode   botMode
	target EntityID // the player, drone or pellet of its mode
	goal   Vec      // where it wanders to
	aimErr float64  // radians added to its aim until the next look
	hold   bool     // whether it fires, when in range, until the next look
	lead   float64  // share of the target's motion it leads by, until the next look
	circle float64  // +1 or -1: which way it circles in a fight
}

// AddBot adds a computer player, as AddPlayer does a person's, and returns
// its ID. RemovePlayer removes it.
func (w *World) AddBot(name string) EntityID {
	id := w.AddPlayer(name)
	p, _ := w.Player(id)
	// Until its first look it wanders to where it is: it stands.
	b := Bot{ID: id, rng: rng{state: w.rng.next()}, goal: p.Pos, circle: 1}
	b.skill = b.rng.between(BotSkillMin, 1)
	// The first look comes after one reaction time, like every later one.
	b.look = b.reaction(w)
	w.bots = append(w.bots, b) // IDs grow, so the order holds
	return id
}

// IsBot reports whether the player with that ID is a bot.
func (w *World) IsBot(id EntityID) bool {
	_, ok := w.botIndex(id)
	return ok
}

func (w *World) botIndex(id EntityID) (int, bool) {
	return slices.BinarySearchFunc(w.bots, id, func(b Bot, id EntityID) int { return cmp.Compare(b.ID, id) })
}

// removeBot forgets the mind of a player that left, if it was a bot.
func (w *World) removeBot(id EntityID) {
	if i, ok := w.botIndex(id); ok {
		w.bots = slices.Delete(w.bots, i, i+1)
	}
}

// stepBots sets every bot's Input for this tick.
func (w *World) stepBots() {
	for i := range w.bots {
		b := &w.bots[i]
		pi, ok := w.playerIndex(b.ID)
		if !ok {
			continue
		}
		p := &w.players[pi]
		if !p.Alive() {
			p.Input = Input{Aim: p.Aim}
			b.look = 1 // look around as soon as it is back
			continue
		}
		b.look--
		if b.look <= 0 {
			b.lookAround(w, p)
			b.look = b.reaction(w)
		}
		p.Input = b.steer(w, p)
	}
}

// reaction is a fresh number of ticks until the next look.
func (b *Bot) reaction(w *World) int {
	slow := 2 - b.skill // up to 1.6 times as slow
	lo := secondsToTicks(BotReactionMin*slow, w.cfg.TickRate)
	hi := secondsToTicks(BotReactionMax*slow, w.cfg.TickRate)
	return lo + int(b.rng.float()*float64(hi-lo+1))
}

// lookAround picks what the bot does until its next look, from what is near.
func (b *Bot) lookAround(w *World, p *Player) {
	b.aimErr = b.rng.between(-BotAimError, BotAimError) / b.skill
	b.lead = b.rng.between(BotLeadMin, BotLeadMax)
	b.hold = b.rng.float() < BotTrigger
	if b.rng.float() < 0.3 {
		b.circle = -b.circle
	}
	enemy, ed := EntityID(0), math.Inf(1)
	for i := range w.players {
		q := &w.players[i]
		if q.ID == p.ID || !q.Alive() {
			continue
		}
		if d := q.Pos.Sub(p.Pos).Len(); d < ed {
			enemy, ed = q.ID, d
		}
	}
	low := float64(p.HP) < BotFleeHP*float64(StatsFor(p.Score).MaxHP)
	switch {
	case low && enemy != 0 && ed < BotSight:
		b.mode, b.target = botFlee, enemy
		return
	case enemy != 0 && ed < BotFightRange:
		b.mode, b.target = botFight, enemy
		return
	}
	// A hurt bot looks for no fight; a healthy one sometimes goes looking.
	if !low && enemy != 0 && ed < BotRoamRange && (b.mode == botRoam && b.target == enemy || b.rng.float() < BotHuntChance) {
		b.mode, b.target = botRoam, enemy
		return
	}
	if id, d := nearest(w.drones, p.Pos, func(d *Drone) (EntityID, Vec, bool) { return d.ID, d.Pos, d.HP > 0 }); d < BotDroneRange {
		b.mode, b.target = botDrone, id
		return
	}
	if id, d := nearest(w.pellets, p.Pos, func(l *Pellet) (EntityID, Vec, bool) { return l.ID, l.Pos, true }); d < BotPelletRange {
		b.mode, b.target = botCollect, id
		return
	}
	if !low && enemy != 0 && ed < BotRoamRange {
		b.mode, b.target = botRoam, enemy // nothing near: go where the action is
		return
	}
	if b.mode != botWander || p.Pos.Sub(b.goal).Len() < 2*PlayerRadius {
		size := w.Size()
		b.goal = Vec{b.rng.between(0, size.X), b.rng.between(0, size.Y)}
	}
	b.mode, b.target = botWander, 0
}

// nearest returns the ID of the live item of xs nearest to at, and how far
// it is (+Inf when there is none).
func nearest[T any](xs []T, at Vec, of func(*T) (EntityID, Vec, bool)) (EntityID, float64) {
	best, bd := EntityID(0), math.Inf(1)
	for i := range xs {
		id, pos, live := of(&xs[i])
		if !live {
			continue
		}
		if d := pos.Sub(at).Len(); d < bd {
			best, bd = id, d
		}
	}
	return best, bd
}

// steer turns the bot's current intent into this tick's Input, from where
// its target is now.
func (b *Bot) steer(w *World, p *Player) Input {
	st := StatsFor(p.Score)
	pos, vel, ok := w.botTarget(b.mode, b.target)
	switch {
	case b.mode == botWander:
		pos = b.goal
	case !ok:
		b.look = 1 // it is gone: look again next tick
		return Input{Aim: p.Aim}
	}
	to := pos.Sub(p.Pos)
	d := to.Len()
	in := Input{Aim: p.Aim}
	if d > 0 {
		in.Aim = math.Atan2(to.Y, to.X)
	}
	shoot := func() {
		// Lead by a share of where the target goes while the shot flies.
		aim := pos.Add(vel.Scale(b.lead * d / st.ShotSpeed)).Sub(p.Pos)
		in.Aim = math.Atan2(aim.Y, aim.X) + b.aimErr
		if b.hold && d < BotShotReach*st.ShotSpeed*ProjectileLifetime {
			in.Buttons = ButtonFire
		}
	}
	var dir Vec
	switch b.mode {
	case botFight:
		side := Vec{-to.Y, to.X}.Scale(b.circle)
		switch {
		case d > BotKeepMax:
			dir = to.Add(side.Scale(0.5))
		case d < BotKeepMin:
			dir = to.Scale(-1).Add(side.Scale(0.5))
		default:
			dir = side
		}
		shoot()
	case botFlee:
		dir = to.Scale(-1)
		shoot()
	case botDrone:
		if d > BotDroneKeep {
			dir = to
		}
		shoot()
	default: // collect, roam, wander: go there
		dir = to
	}
	in.Move = moveBits(dir)
	return in
}

// botTarget returns where the target of a mode is and how it moves, or false
// when it is gone (or dead).
func (w *World) botTarget(mode botMode, id EntityID) (pos, vel Vec, ok bool) {
	switch mode {
	case botFight, botFlee, botRoam:
		if i, found := w.playerIndex(id); found && w.players[i].Alive() {
			return w.players[i].Pos, w.players[i].Vel, true
		}
	case botDrone:
		if i, found := slices.BinarySearchFunc(w.drones, id, func(d Drone, id EntityID) int { return cmp.Compare(d.ID, id) }); found && w.drones[i].HP > 0 {
			return w.drones[i].Pos, w.drones[i].Vel, true
		}
	case botCollect:
		if i, found := slices.BinarySearchFunc(w.pellets, id, func(l Pellet, id EntityID) int { return cmp.Compare(l.ID, id) }); found {
			return w.pellets[i].Pos, Vec{}, true
		}
	}
	return Vec{}, Vec{}, false
}

// moveBits is the 8-way Move nearest to direction d (none for a zero d).
func moveBits(d Vec) uint8 {
	n := d.Len()
	if n == 0 {
		return 0
	}
	// sin(22.5°): beyond it a component counts, so each of the 8 ways
	// covers 45°.
	const axis = 0.3826834323650898
	var m uint8
	switch {
	case d.X > axis*n:
		m |= MoveRight
	case d.X < -axis*n:
		m |= MoveLeft
	}
	switch {
	case d.Y > axis*n:
		m |= MoveDown
	case d.Y < -axis*n:
		m |= MoveUp
	}
	return m
}
