package app

import (
	"time"

	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/sound"
	"github.com/skirmish-game/skirmish/game"
)

// Feedback tuning.
const (
	maxFeedLines = 5
	flashPerHP   = 1.0 / 35 // screen flash per HP lost
)

// life is the own ship's current life and the last one that ended, for the
// death summary.
type life struct {
	start time.Time // spawned; zero before the first spawn seen
	kills int       // players killed in this life
	score uint32    // the score as last seen alive

	last lifeEnd
}

// lifeEnd is how the last life ended.
type lifeEnd struct {
	killer uint32 // 0: a drone
	name   string // the killer's, as known then
	alive  time.Duration
	kills  int
	score  uint32 // after the bounty was paid
	lost   uint32 // the bounty
}

// spawned starts a life at now.
func (l *life) spawned(now time.Time) { l.start, l.kills = now, 0 }

// feedback turns one snapshot change into what the player hears, the kill
// feed, the hit markers and the flash of being hit; effect draws the
// bursts. at is when the change is drawn for others (an interpolation
// delay after now), onScreen whether it happened in view.
func (a *arena) feedback(ev match.Event, now, at time.Time, onScreen bool) {
	m := a.sess.match
	self := m.SelfID()
	switch ev.Kind {
	case match.Fired:
		if ev.Entity.Owner != self || self == 0 {
			a.hear(sound.Shot, ev.Pos, 0.6, at)
		} // the own shots sounded when fired (arena.fired)
	case match.Gone:
		if !onScreen {
			return // most likely left the view rather than destroyed
		}
		switch ev.Entity.Kind {
		case game.KindDrone:
			a.hear(sound.Explosion, ev.Pos, 0.55, at)
		case game.KindPellet:
			a.hear(sound.Pickup, ev.Pos, 0.5, at)
		}
	case match.Died:
		a.addKill(ev, now, at)
		if ev.Entity.ID == self {
			a.hearNear(sound.Death, 0.9, now)
			a.died(ev, now)
		} else {
			a.hear(sound.Explosion, ev.Pos, 0.9, at)
		}
	case match.Hurt:
		if ev.Entity.ID == self {
			a.hearNear(sound.Hurt, 0.8, now)
			a.view.flash = min(1, a.view.flash+float64(ev.Amount)*flashPerHP)
		}
	case match.Landed:
		a.rnd.Marks.Hit(ev.Pos, ev.Amount, ev.Killed, at)
		a.hits++
		publishHits(a.hits)
		switch {
		case ev.Killed && ev.Entity.Kind == game.KindPlayer:
			a.life.kills++
			a.hearNear(sound.Kill, 0.8, at)
		default:
			a.hearNear(sound.Hit, 0.55, at)
		}
	}
}

// addKill puts a player's death in the kill feed. Only deaths in the own
// view are known: the server sends no news of players out of it.
func (a *arena) addKill(ev match.Event, now, at time.Time) {
	m := a.sess.match
	victim, killer := ev.Entity.ID, ev.Entity.Owner
	line := render.FeedLine{
		VictimColor: render.PlayerColor(victim),
		Killer:      "a drone", KillerColor: render.ColorDrone,
		Own: victim == m.SelfID() || killer == m.SelfID(),
		At:  at,
	}
	line.Victim, line.VictimBot = render.BotName(playerName(ev.Entity.Name, victim))
	if victim == m.SelfID() {
		line.At = now
	}
	if killer != 0 {
		line.Killer, line.KillerBot = render.BotName(playerName(m.Name(killer), killer))
		line.KillerColor = render.PlayerColor(killer)
	}
	a.feed = append(a.feed, line)
	publishKill(feedText(line.Killer, line.KillerBot) + " > " + feedText(line.Victim, line.VictimBot))
	if n := len(a.feed) - maxFeedLines; n > 0 {
		a.feed = append(a.feed[:0], a.feed[n:]...)
	}
}

// feedText is a feed line's name as the page publishes it: a bot's with
// its BOT tag in words.
func feedText(name string, bot bool) string {
	if bot {
		return name + " (bot)"
	}
	return name
}

// pruneFeed drops the lines that have faded at now.
func (a *arena) pruneFeed(now time.Time) {
	live := a.feed[:0]
	for _, l := range a.feed {
		if now.Sub(l.At) < render.FeedHold+time.Second {
			live = append(live, l)
		}
	}
	a.feed = live
}

// died ends the own life, for the death summary.
func (a *arena) died(ev match.Event, now time.Time) {
	l := &a.life
	end := lifeEnd{killer: ev.Entity.Owner, kills: l.kills, score: ev.Entity.Score}
	if end.killer != 0 {
		end.name = playerName(a.sess.match.Name(end.killer), end.killer)
	}
	if !l.start.IsZero() {
		end.alive = now.Sub(l.start)
	}
	if l.score > ev.Entity.Score {
		end.lost = l.score - ev.Entity.Score
	}
	l.last, l.start = end, time.Time{}
}

// playerName is a player's name for the HUD, or what to call one whose name
// is not known.
func playerName(name string, id uint32) string {
	if name != "" {
		return name
	}
	if id == 0 {
		return "a drone"
	}
	return "pilot"
}
