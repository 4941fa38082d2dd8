package match

import (
	"math"
	"time"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Predicted shots (PROTOCOL.md 7.6): the own shots are drawn in the present,
// as the own ship is, from the input that fires them; the server's copy,
// matched by owner and seq, takes over without a second shot or a jump.
const (
	// shotBlend is the time constant of the decay of the difference between
	// a predicted shot's path and the server's when it takes over: after
	// 50 ms, 14% of it is left.
	shotBlend = 25 * time.Millisecond
	// shotSeqSlack is how far apart the seq of a server shot and the
	// predicted one it takes over may be: after a repeated input the
	// server's cooldown can run a tick apart from the client's.
	shotSeqSlack = 2
	// shotBlendRest is a blend offset too small to see, in world units.
	shotBlendRest = 1e-3
	// maxOwnShots bounds the shots kept: a second of fire at the fastest
	// rate and the slack around it.
	maxOwnShots = 64
)

// ownShot is one of the player's own shots, predicted and perhaps taken
// over by the server's.
type ownShot struct {
	seq    uint32    // the input that fired it
	id     uint32    // the server's projectile, once matched; 0 before
	start  game.Vec  // where its path starts: drawn there at fired
	vel    game.Vec  // world units per second
	fired  time.Time // client time of the input that fired it
	offset game.Vec  // what is left of the hand-over's difference
	blendT time.Time // when offset was last decayed
	// gone: the server's copy has left the newest snapshot. It is kept, not
	// drawn, so that the copy the interpolator still draws from older
	// snapshots stays hidden too.
	gone bool
	// spent: it hit something the client draws, and its hit was shown.
	spent bool
	drawn game.Vec // where it was drawn last
	shown bool     // drawn is set
}

// pos is where to draw s at now: on its path by the time since it was
// fired, plus what is left of the hand-over's difference.
func (s *ownShot) pos(now time.Time) game.Vec {
	return s.start.Add(s.vel.Scale(now.Sub(s.fired).Seconds())).Add(s.decay(now))
}

// decay advances the blend offset's decay to now and returns it.
func (s *ownShot) decay(now time.Time) game.Vec {
	if dt := now.Sub(s.blendT); dt > 0 {
		s.offset = s.offset.Scale(math.Exp(-float64(dt) / float64(shotBlend)))
		s.blendT = now
	}
	if s.offset.Len() < shotBlendRest {
		s.offset = game.Vec{}
	}
	return s.offset
}

// shots are the own shots of a match.
type shots struct {
	self      uint32
	size      game.Vec // the world: a shot that leaves it is gone
	dt        float64  // seconds per tick
	flight    time.Duration
	tickRate  int
	cooldown  int // ticks, as the client counts them: not on the wire
	list      []ownShot
	fired     bool // the newest input predicted started a shot
	predicted uint64
	matched   uint64
	dropped   uint64 // predicted shots the server never confirmed
	// endedAtOnce counts predicted shots that ended as the client drew
	// them (a hit, or out of the world) before any snapshot showed the
	// server's copy: the server's ended in its first tick too, so no
	// snapshot could confirm them, and they are not dropped ones.
	endedAtOnce uint64
}

func newShots(self uint32, tickRate int, size game.Vec) shots {
	return shots{
		self:     self,
		size:     size,
		dt:       1 / float64(tickRate),
		flight:   time.Duration(game.ProjectileTicks(tickRate)) * time.Second / time.Duration(tickRate),
		tickRate: tickRate,
	}
}

// predict runs the gun for the input seq the predicted player p (after its
// move) was given at now, as the server's tick does (game.Trigger), and
// starts a predicted shot when it fires.
func (s *shots) predict(seq uint32, p game.Player, in game.Input, now time.Time) {
	p.Cooldown, p.Input = s.cooldown, in
	st := game.StatsFor(p.Score) // the level's gun, as the server's Step takes it
	fired := game.Trigger(&p, game.FireTicks(st, s.tickRate))
	s.cooldown, s.fired = p.Cooldown, fired
	if !fired {
		return
	}
	if len(s.list) == maxOwnShots {
		s.list = append(s.list[:0], s.list[1:]...)
	}
	start, vel := game.ShotFrom(p.Pos, p.Aim, st.ShotSpeed)
	s.list = append(s.list, ownShot{seq: seq, start: start, vel: vel, fired: now, blendT: now})
	s.predicted++
}

// reconcile takes a snapshot's view of the own shots: it matches the
// server's new ones with predicted ones, drops the predicted ones the server
// has gone past without a shot, and the matched ones it no longer has.
// self is the own player in st (ok false when absent); lastSeq the
// snapshot's.
func (s *shots) reconcile(st *netcode.State, self netcode.Entity, ok bool, lastSeq uint32, now time.Time) {
	if ok && self.Timer > 0 {
		s.cooldown = 0 // a death resets the gun (PROTOCOL.md 7.4)
	}
	for i := range st.Entities {
		e := &st.Entities[i]
		if e.Kind == game.KindProjectile && e.Owner == s.self && e.Seq != 0 && !s.known(e.ID) {
			s.match(e, now)
		}
	}
	keep := s.list[:0]
	for _, sh := range s.list {
		switch {
		case sh.id != 0:
			if _, in := netcode.FindEntity(st.Entities, sh.id); !in {
				sh.gone = true // hit something, flew out, or left the view
			}
		case !netcode.SeqNewer(sh.seq+shotSeqSlack, lastSeq):
			if sh.spent {
				s.endedAtOnce++
			} else {
				s.dropped++ // the server went past its input and fired nothing then
			}
			continue
		}
		if now.Sub(sh.fired) > s.flight+time.Second {
			continue // far past any flight and any copy of it the interpolator draws
		}
		keep = append(keep, sh)
	}
	s.list = keep
}

func (s *shots) known(id uint32) bool {
	for i := range s.list {
		if s.list[i].id == id {
			return true
		}
	}
	return false
}

// match hands the predicted shot of e's seq (or the nearest within
// shotSeqSlack) over to e: its path becomes the server's, through e's
// position along the same velocity, and the difference is blended out.
func (s *shots) match(e *netcode.Entity, now time.Time) {
	best, gap := -1, uint32(shotSeqSlack+1)
	for i := range s.list {
		sh := &s.list[i]
		if sh.id != 0 {
			continue
		}
		d := sh.seq - e.Seq
		if netcode.SeqNewer(e.Seq, sh.seq) {
			d = e.Seq - sh.seq
		}
		if d < gap {
			best, gap = i, d
		}
	}
	if best < 0 {
		return // a shot the client did not predict: drawn as it comes
	}
	sh := &s.list[best]
	was := sh.pos(now)
	server := e.Pos()
	// The server's shot has flown a whole number of ticks along the same
	// line: its path starts that many steps back from where it is.
	step := sh.vel.Scale(s.dt)
	flown := math.Round(server.Sub(sh.start).Dot(step) / step.Dot(step))
	sh.start = server.Sub(step.Scale(flown))
	sh.id = e.ID
	sh.offset, sh.blendT = was.Sub(sh.pos(now)).Add(sh.offset), now
	s.matched++
}

// draw replaces, in out, the server's copies of the own shots with the
// shots drawn in the present, and appends the predicted ones not matched
// yet. A shot whose way since the last frame touches a player or drone as
// out draws it has hit it: the server judges players and drones where the
// client drew them (lag compensation, PROTOCOL.md 7.7), so it ends there, and hit
// gets the event that shows it. It returns the extended slice.
func (s *shots) draw(out []netcode.Interpolated, now time.Time, hit func(Event)) []netcode.Interpolated {
	if len(s.list) == 0 {
		return out
	}
	keep := out[:0]
	for _, e := range out {
		if e.E.Kind == game.KindProjectile && e.E.Owner == s.self && s.known(e.E.ID) {
			continue
		}
		keep = append(keep, e)
	}
	targets := len(keep)
	for i := range s.list {
		sh := &s.list[i]
		if sh.gone || sh.spent || now.Sub(sh.fired) >= s.flight {
			continue // its flight is over, whatever the server says later
		}
		p := sh.pos(now)
		from := sh.start
		if sh.shown {
			from = sh.drawn
		}
		sh.drawn, sh.shown = p, true
		if p.X < 0 || p.Y < 0 || p.X > s.size.X || p.Y > s.size.Y {
			sh.spent = true // out of the world, as the server's leaves it: quietly
			continue
		}
		e := netcode.Entity{ID: sh.id, Kind: game.KindProjectile, Owner: s.self, Seq: sh.seq}
		if s.touches(keep[:targets], from, p) {
			sh.spent = true
			hit(Event{Kind: Gone, Entity: e, Pos: p})
			continue
		}
		keep = append(keep, netcode.Interpolated{E: e, Pos: p, Vel: sh.vel})
	}
	return keep
}

// touches reports whether a shot's way from a to b touches a living
// player other than the own or a drone among drawn.
func (s *shots) touches(drawn []netcode.Interpolated, a, b game.Vec) bool {
	for i := range drawn {
		e := &drawn[i]
		var r float64
		switch {
		case e.E.Kind == game.KindPlayer && e.E.ID != s.self && e.E.Timer == 0:
			r = game.PlayerRadius + game.ProjectileRadius
		case e.E.Kind == game.KindDrone && e.E.HP > 0:
			r = game.DroneRadius + game.ProjectileRadius
		default:
			continue
		}
		if game.ShotTouches(a, b, e.Pos, r) {
			return true
		}
	}
	return false
}

// shownGone reports whether ev is the server's news of an own shot whose
// end was shown already, when it hit what the client drew.
func (s *shots) shownGone(ev Event) bool {
	if ev.Kind != Gone || ev.Entity.Kind != game.KindProjectile || ev.Entity.Owner != s.self || ev.Entity.ID == 0 {
		return false
	}
	for i := range s.list {
		if s.list[i].id == ev.Entity.ID {
			return s.list[i].spent
		}
	}
	return false
}
