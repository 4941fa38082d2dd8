package game

import "math"

// MovePlayer advances one player's movement by one tick of dt under input in,
// clamps it to a world of the given size and snaps it to the quantization grid.
// The server's Step and the client's prediction both call it.
//
// It reads only p.Pos, p.Vel, p.Respawn and p.Score (all on the wire; the
// score gives the level, and so the top speed) and writes only
// p.Aim, p.Vel and p.Pos, so a client replaying its inputs from a snapshot gets
// the server's numbers bit for bit. Every product that is then added is wrapped
// in float64(): the spec lets a compiler fuse x*y+z into one FMA on some
// architectures and not others, and a conversion forbids that, so a native
// server and a WASM client round identically.
func MovePlayer(p *Player, in Input, dt float64, size Vec) {
	p.Aim = AngleFromQuantized(QuantizeAngle(in.Aim))
	if !p.Alive() {
		return
	}
	target := moveTarget(in.Move, StatsFor(p.Score).Speed)
	rate := PlayerFriction
	if target != (Vec{}) {
		rate = PlayerAccel
	}
	v := approach(p.Vel, target, rate*dt)
	p.Vel = Vec{snapVel(v.X), snapVel(v.Y)}
	lo, hi := playerBounds(size)
	p.Pos.X, p.Vel.X = moveAxis(p.Pos.X, p.Vel.X, dt, lo.X, hi.X)
	p.Pos.Y, p.Vel.Y = moveAxis(p.Pos.Y, p.Vel.Y, dt, lo.Y, hi.Y)
}

// moveTarget is the wanted velocity for the Move bits at a top speed: Y grows
// downwards (screen coordinates), opposites cancel and diagonals are as fast
// as straight lines.
func moveTarget(move uint8, speed float64) Vec {
	var d Vec
	if move&MoveLeft != 0 {
		d.X--
	}
	if move&MoveRight != 0 {
		d.X++
	}
	if move&MoveUp != 0 {
		d.Y--
	}
	if move&MoveDown != 0 {
		d.Y++
	}
	k := speed
	if d.X != 0 && d.Y != 0 {
		k = speed * math.Sqrt2 / 2
	}
	return Vec{d.X * k, d.Y * k}
}

// approach moves v towards target by at most step, never overshooting.
func approach(v, target Vec, step float64) Vec {
	dx, dy := target.X-v.X, target.Y-v.Y
	d2 := float64(dx*dx) + float64(dy*dy)
	if d2 <= float64(step*step) {
		return target
	}
	k := step / math.Sqrt(d2)
	return Vec{v.X + float64(dx*k), v.Y + float64(dy*k)}
}

// moveAxis integrates one axis, snaps it and stops it at the border.
func moveAxis(pos, vel, dt, lo, hi float64) (float64, float64) {
	pos = snapPos(pos + float64(vel*dt))
	switch {
	case pos < lo:
		pos, vel = lo, max(vel, 0)
	case pos > hi:
		pos, vel = hi, min(vel, 0)
	}
	return pos, vel
}

// playerBounds is where a player's centre may be, rounded inwards to the
// position grid so that a clamped position is still on it.
func playerBounds(size Vec) (lo, hi Vec) {
	lo = Vec{ceilPos(PlayerRadius), ceilPos(PlayerRadius)}
	hi = Vec{floorPos(size.X - PlayerRadius), floorPos(size.Y - PlayerRadius)}
	return lo, hi
}

func snapPos(x float64) float64  { return math.Round(x*PosScale) / PosScale }
func ceilPos(x float64) float64  { return math.Ceil(x*PosScale) / PosScale }
func floorPos(x float64) float64 { return math.Floor(x*PosScale) / PosScale }
func snapVel(x float64) float64  { return math.Round(x*VelScale) / VelScale }

// QuantizeAngle maps an angle in radians, any turn, to the angle grid:
// AngleSteps to a turn, 0 = +X. NaN and infinities map to 0.
func QuantizeAngle(a float64) uint16 {
	if math.IsNaN(a) || math.IsInf(a, 0) {
		return 0
	}
	if a < -2*math.Pi || a >= 2*math.Pi {
		a = math.Mod(a, 2*math.Pi) // slow; wire input is already within ±2π
	}
	if a < 0 {
		a += 2 * math.Pi
	}
	// A full turn rounds to AngleSteps, which wraps to 0 in 16 bits.
	return uint16(uint32(math.Round(a * (AngleSteps / (2 * math.Pi)))))
}

// AngleFromQuantized is the angle in [0, 2π) that q stands for.
func AngleFromQuantized(q uint16) float64 {
	return float64(q) * (2 * math.Pi / AngleSteps)
}
