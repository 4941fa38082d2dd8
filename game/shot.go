package game

// The gun's rules, shared by the server's Step and the client's predicted
// shots, so that a shot shows on the click exactly where and when the
// server will fire it.

// FireTicks is the cooldown after a shot at stats st (the shooter's level),
// in ticks at tickRate.
func FireTicks(st Stats, tickRate int) int { return secondsToTicks(st.FireInterval, tickRate) }

// ProjectileTicks is how many ticks a shot flies at tickRate, unless it hits.
func ProjectileTicks(tickRate int) int { return secondsToTicks(ProjectileLifetime, tickRate) }

// Trigger runs one tick of p's gun: the cooldown goes down, and the gun
// fires if p is alive, holds fire and the cooldown is over, when it reports
// true and the cooldown starts again at fireTicks (FireTicks).
func Trigger(p *Player, fireTicks int) bool {
	if p.Cooldown > 0 {
		p.Cooldown--
	}
	if !p.Alive() || p.Input.Buttons&ButtonFire == 0 || p.Cooldown > 0 {
		return false
	}
	p.Cooldown = fireTicks
	return true
}

// ShotFrom is where a shot fired at speed (the shooter's Stats.ShotSpeed)
// from a player at pos along aim (on the angle grid) starts, on its rim,
// and its velocity.
func ShotFrom(pos Vec, aim, speed float64) (start, vel Vec) {
	dir := FromAngle(aim)
	return pos.Add(dir.Scale(PlayerRadius + ProjectileRadius)), dir.Scale(speed)
}

// ShotTouches reports whether a shot moving from a to b comes within r of
// centre: the server's hit test for one target, which a client runs on what
// it draws to show its own shots' hits at once.
func ShotTouches(a, b, centre Vec, r float64) bool {
	_, ok := sweep(a, b.Sub(a), centre, r)
	return ok
}
