package game

// Progression within a life: a player's level is a pure function of its
// score, and each level raises one stat in a fixed order. Nothing of it is
// state of its own: the score is on the wire already, so a client knows its
// level, its stats and so its exact movement from the snapshot alone, and no
// choice has to travel in the input. Death costs half the score (the
// bounty), so it costs levels too; the session best (Player.Best) keeps what
// a life reached.

// Progression tuning. A level-5 player (fire rate, speed, max HP, regen)
// kills a level-1 player in 5 hits 5 ticks apart, 0.67 s at 30 Hz, and
// needs 6 of its 20-damage hits 6 ticks apart, 1 s, to die: stronger, but
// two fresh players together outgun it.
const (
	MaxLevel = 10
	// LevelStep scales the score a level needs: level L starts at
	// LevelStep*(L-1)*(L+2) points (200, 500, 900, 1400, ... 5400 at level
	// 10): a few minutes of play to level 5, the drones being worth ~16 each.
	LevelStep = 50

	FireRatePerRank  = 0.25  // shots per FireInterval more: 0.2 s, 0.16 s, 0.133 s between shots
	SpeedPerRank     = 20.0  // units per second of top speed
	MaxHPPerRank     = 20    // hit points, also healed at once on the level-up
	RegenPerRank     = 1     // HP healed every RegenPeriod while alive and hurt
	RegenPeriod      = 0.5   // seconds
	DamagePerRank    = 5     // per hit, to players and drones
	ShotSpeedPerRank = 150.0 // units per second; a shot's lifetime stays, so its range grows
)

// Stat is what a level raises. The values are what a client shows; they are
// not on the wire (the level's stat follows from the level).
type Stat uint8

// The stats, in no particular order; LevelStat gives the order of raises.
const (
	StatNone Stat = iota
	StatFireRate
	StatSpeed
	StatMaxHP
	StatRegen
	StatDamage
	StatShotSpeed
)

// String names the stat for a HUD.
func (s Stat) String() string {
	switch s {
	case StatFireRate:
		return "fire rate"
	case StatSpeed:
		return "speed"
	case StatMaxHP:
		return "max HP"
	case StatRegen:
		return "regen"
	case StatDamage:
		return "damage"
	case StatShotSpeed:
		return "shot speed"
	}
	return "none"
}

// LevelStat is the stat that reaching level raises: fire rate first, because
// it is felt at once; damage late, because it shortens every fight.
func LevelStat(level int) Stat {
	switch level {
	case 2, 8:
		return StatFireRate
	case 3:
		return StatSpeed
	case 4, 9:
		return StatMaxHP
	case 5:
		return StatRegen
	case 6, 10:
		return StatDamage
	case 7:
		return StatShotSpeed
	}
	return StatNone
}

// LevelScore is the score at which level starts (0 for level 1 and below).
func LevelScore(level int) int {
	if level <= 1 {
		return 0
	}
	return LevelStep * (level - 1) * (level + 2)
}

// LevelFor is the level a score gives, 1 to MaxLevel.
func LevelFor(score int) int {
	level := 1
	for level < MaxLevel && score >= LevelScore(level+1) {
		level++
	}
	return level
}

// Stats are a player's numbers at one level.
type Stats struct {
	Level        int
	FireInterval float64 // seconds between shots while fire is held
	Speed        float64 // top speed, units per second
	MaxHP        int
	Regen        int // HP per RegenPeriod
	Damage       int // per hit
	ShotSpeed    float64
}

// StatsAt returns the stats of a level (clamped to 1..MaxLevel).
func StatsAt(level int) Stats {
	level = max(1, min(level, MaxLevel))
	var fire, speed, hp, regen, damage, shot int
	for l := 2; l <= level; l++ {
		switch LevelStat(l) {
		case StatFireRate:
			fire++
		case StatSpeed:
			speed++
		case StatMaxHP:
			hp++
		case StatRegen:
			regen++
		case StatDamage:
			damage++
		case StatShotSpeed:
			shot++
		}
	}
	return Stats{
		Level:        level,
		FireInterval: FireInterval / (1 + FireRatePerRank*float64(fire)),
		Speed:        PlayerSpeed + SpeedPerRank*float64(speed),
		MaxHP:        MaxHP + MaxHPPerRank*hp,
		Regen:        RegenPerRank * regen,
		Damage:       ProjectileDamage + DamagePerRank*damage,
		ShotSpeed:    ProjectileSpeed + ShotSpeedPerRank*float64(shot),
	}
}

// StatsFor returns the stats a score gives.
func StatsFor(score int) Stats { return StatsAt(LevelFor(score)) }

// Level returns the player's level, from its score.
func (p *Player) Level() int { return LevelFor(p.Score) }

// gain adds points to players[i], keeps its session best and, on a level
// that raises max HP, heals the player by the raise.
func (w *World) gain(i, points int) {
	p := &w.players[i]
	before := StatsFor(p.Score).MaxHP
	p.Score += points
	p.Best = max(p.Best, p.Score)
	if up := StatsFor(p.Score).MaxHP - before; up > 0 && p.Alive() {
		p.HP += up
	}
}

// shotDamage is what a shot of the player with that ID does: the shooter's
// damage as it is now, or the base damage once it has left the world.
func (w *World) shotDamage(owner EntityID) int {
	if i, ok := w.playerIndex(owner); ok {
		return StatsFor(w.players[i].Score).Damage
	}
	return ProjectileDamage
}

// regenerate heals every living, hurt player with regen ranks, once every
// RegenPeriod.
func (w *World) regenerate() {
	if w.tick%uint32(secondsToTicks(RegenPeriod, w.cfg.TickRate)) != 0 {
		return
	}
	for i := range w.players {
		p := &w.players[i]
		if !p.Alive() {
			continue
		}
		if st := StatsFor(p.Score); st.Regen > 0 && p.HP < st.MaxHP {
			p.HP = min(p.HP+st.Regen, st.MaxHP)
		}
	}
}
