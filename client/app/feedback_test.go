package app

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/client/sound"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

const selfID, otherID = 5, 9

// testArena is an arena in a match that has had no snapshot: enough for the
// feedback, which reads only the own ID and names.
func testArena(t *testing.T, now time.Time) *arena {
	t.Helper()
	m, err := match.New(netcode.Welcome{Kind: netcode.KindWelcome, PlayerID: selfID, TickRate: 30, WorldW: 4000, WorldH: 4000}, 0, now)
	require.NoError(t, err)
	return &arena{
		sess: &session{match: m}, view: &view{w: 1280, h: 720, scale: 1},
		rnd: render.New(nil), mix: sound.Silent(slog.New(slog.DiscardHandler)),
	}
}

func TestFeedback(t *testing.T) {
	now := time.Unix(1000, 0)
	at := now.Add(100 * time.Millisecond)
	player := func(id uint32, name string, owner uint32, score uint32) netcode.Entity {
		return netcode.Entity{ID: id, Kind: game.KindPlayer, Name: name, Owner: owner, Score: score, Timer: 90}
	}
	for _, tc := range []struct {
		name     string
		ev       match.Event
		onScreen bool
		check    func(t *testing.T, a *arena)
	}{
		{name: "the own shot in a snapshot was heard when fired", ev: match.Event{Kind: match.Fired, Entity: netcode.Entity{Kind: game.KindProjectile, Owner: selfID}},
			check: func(t *testing.T, a *arena) { assert.Empty(t, a.cues) }},
		{name: "another's shot is heard where and when it is drawn", ev: match.Event{Kind: match.Fired, Pos: game.Vec{X: 10, Y: 20}, Entity: netcode.Entity{Kind: game.KindProjectile, Owner: otherID}},
			check: func(t *testing.T, a *arena) {
				require.Len(t, a.cues, 1)
				assert.Equal(t, cue{at: at, e: sound.Shot, pos: game.Vec{X: 10, Y: 20}, gain: 0.6}, a.cues[0])
			}},
		{name: "a drone gone off screen left the view: silence", ev: match.Event{Kind: match.Gone, Entity: netcode.Entity{Kind: game.KindDrone}},
			check: func(t *testing.T, a *arena) { assert.Empty(t, a.cues) }},
		{name: "a drone gone on screen blew up", ev: match.Event{Kind: match.Gone, Entity: netcode.Entity{Kind: game.KindDrone}}, onScreen: true,
			check: func(t *testing.T, a *arena) {
				require.Len(t, a.cues, 1)
				assert.Equal(t, sound.Explosion, a.cues[0].e)
			}},
		{name: "the own kill: the feed and the kill chime", ev: match.Event{Kind: match.Landed, Killed: true, Amount: 20, Entity: netcode.Entity{ID: otherID, Kind: game.KindPlayer}},
			check: func(t *testing.T, a *arena) {
				assert.Equal(t, 3, a.life.kills, "a third kill this life")
				assert.Equal(t, 1, a.hits)
				assert.Equal(t, 1, a.rnd.Marks.Len())
				require.Len(t, a.cues, 1)
				assert.Equal(t, sound.Kill, a.cues[0].e)
			}},
		{name: "a hit on a drone: a marker and a tick", ev: match.Event{Kind: match.Landed, Amount: 20, Entity: netcode.Entity{Kind: game.KindDrone}},
			check: func(t *testing.T, a *arena) {
				assert.Equal(t, 2, a.life.kills, "a drone is no kill")
				require.Len(t, a.cues, 1)
				assert.Equal(t, sound.Hit, a.cues[0].e)
			}},
		{name: "being hurt flashes the screen", ev: match.Event{Kind: match.Hurt, Amount: 20, Entity: netcode.Entity{ID: selfID, Kind: game.KindPlayer}},
			check: func(t *testing.T, a *arena) {
				assert.InDelta(t, 20*flashPerHP, a.view.flash, 1e-9)
				require.Len(t, a.cues, 1)
				assert.Equal(t, sound.Hurt, a.cues[0].e)
			}},
		{name: "another hurt is no flash", ev: match.Event{Kind: match.Hurt, Amount: 20, Entity: netcode.Entity{ID: otherID, Kind: game.KindPlayer}},
			check: func(t *testing.T, a *arena) { assert.Zero(t, a.view.flash) }},
		{name: "a bot's kill reads with tags, not the wire's suffix", ev: match.Event{Kind: match.Died, Entity: player(otherID, "Vega [bot]", 0, 0)},
			check: func(t *testing.T, a *arena) {
				require.Len(t, a.feed, 1)
				assert.Equal(t, "Vega", a.feed[0].Victim)
				assert.True(t, a.feed[0].VictimBot)
				assert.False(t, a.feed[0].KillerBot, "a drone")
			}},
		{name: "another killed by a drone goes in the feed", ev: match.Event{Kind: match.Died, Entity: player(otherID, "bob", 0, 0)},
			check: func(t *testing.T, a *arena) {
				require.Len(t, a.feed, 1)
				l := a.feed[0]
				assert.Equal(t, "a drone", l.Killer)
				assert.Equal(t, "bob", l.Victim)
				assert.False(t, l.Own)
				assert.Equal(t, at, l.At)
			}},
		{name: "the own death ends the life for the summary", ev: match.Event{Kind: match.Died, Entity: player(selfID, "ann", otherID, 30)},
			check: func(t *testing.T, a *arena) {
				require.Len(t, a.feed, 1)
				assert.True(t, a.feed[0].Own)
				assert.Equal(t, now, a.feed[0].At, "the own death is shown at once")
				assert.Equal(t, lifeEnd{killer: otherID, name: "pilot", alive: 42 * time.Second, kills: 2, score: 30, lost: 30}, a.life.last)
				assert.True(t, a.life.start.IsZero())
				require.Len(t, a.cues, 1)
				assert.Equal(t, sound.Death, a.cues[0].e)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := testArena(t, now)
			a.life = life{start: now.Add(-42 * time.Second), kills: 2, score: 60}
			a.feedback(tc.ev, now, at, tc.onScreen)
			tc.check(t, a)
		})
	}
}

func TestKillFeedKeepsTheNewest(t *testing.T) {
	now := time.Unix(1000, 0)
	a := testArena(t, now)
	for i := range maxFeedLines + 2 {
		a.addKill(match.Event{Kind: match.Died, Entity: netcode.Entity{ID: otherID, Name: string(rune('a' + i))}}, now, now)
	}
	require.Len(t, a.feed, maxFeedLines)
	assert.Equal(t, "c", a.feed[0].Victim)
	a.pruneFeed(now.Add(render.FeedHold + 2*time.Second))
	assert.Empty(t, a.feed, "faded lines go")
}

func TestPlayDue(t *testing.T) {
	now := time.Unix(1000, 0)
	a := testArena(t, now)
	a.hear(sound.Explosion, game.Vec{}, 1, now.Add(time.Second))
	a.hearNear(sound.Shot, 1, now)
	a.playDue(now)
	require.Len(t, a.cues, 1, "the one due played, the later one waits")
	assert.Equal(t, sound.Explosion, a.cues[0].e)
	a.playDue(now.Add(time.Second))
	assert.Empty(t, a.cues)
	for range maxCues + 5 {
		a.hearNear(sound.Shot, 1, now)
	}
	assert.Len(t, a.cues, maxCues, "bounded")
}

func TestOwnShotSoundsOncePerShot(t *testing.T) {
	now := time.Unix(1000, 0)
	a := testArena(t, now)
	m := a.sess.match
	st := &netcode.State{Tick: 10, Entities: []netcode.Entity{{ID: selfID, Kind: game.KindPlayer, HP: 100}}}
	d := netcode.Diff(nil, st)
	d.Tick = st.Tick
	require.NoError(t, m.Handle(netcode.AppendDelta(nil, &d), now))
	tick := time.Second / 30
	for i := range 30 { // one second of held fire
		at := now.Add(time.Duration(i) * tick)
		m.NextInput(game.Input{Buttons: game.ButtonFire}, at)
		a.fired(at)
	}
	m.NextInput(game.Input{}, now.Add(time.Second)) // released: nothing
	a.fired(now.Add(time.Second))
	assert.Len(t, a.cues, int(m.Stats().ShotsPredicted), "one a predicted shot")
	assert.InDelta(t, 1/game.FireInterval, len(a.cues), 1, "at the gun's rate")
	for _, c := range a.cues {
		assert.Equal(t, sound.Shot, c.e)
		assert.True(t, c.near)
	}
}

// TestNoSoundStorm: six bots fighting on screen, each firing at the
// fastest level's rate and hitting drones, are heard as a few sounds a
// second of each effect, while every own sound still plays.
func TestNoSoundStorm(t *testing.T) {
	now := time.Unix(1000, 0)
	a := testArena(t, now)
	ear := game.Vec{X: 2000, Y: 2000}
	const bots, seconds = 6, 3
	step := time.Second / 60 // Update's rate
	interval := time.Duration(game.StatsAt(game.MaxLevel).FireInterval * float64(time.Second))
	perEffect := map[sound.Effect]int{}
	own, made, heard := 0, 0, 0
	for i := range seconds * 60 {
		at := now.Add(time.Duration(i) * step)
		for b := range bots {
			pos := ear.Add(game.Vec{X: float64(b*60 - 150), Y: 80})
			if i%int(interval/step) == b%2 {
				a.feedback(match.Event{Kind: match.Fired, Entity: netcode.Entity{ID: 100 + uint32(b), Kind: game.KindProjectile, Owner: otherID + uint32(b)}, Pos: pos}, at, at, true)
				a.feedback(match.Event{Kind: match.Gone, Entity: netcode.Entity{ID: 200 + uint32(b), Kind: game.KindDrone}, Pos: pos}, at, at, true)
				made += 2
			}
		}
		if i%12 == 0 {
			a.hearNear(sound.Shot, 0.45, at)
		}
		for _, v := range a.dueVoices(nil, at, ear) {
			if v.pan == 0 && v.gain == 0.45 && v.e == sound.Shot {
				own++
				continue
			}
			perEffect[v.e]++
			heard++
		}
	}
	require.NotEmpty(t, perEffect)
	limit := int(time.Second/cueSpacing) + 1
	for e, n := range perEffect {
		assert.LessOrEqual(t, n/seconds, limit, "%v cues a second", e)
		assert.Positive(t, n, "%v still heard", e)
	}
	assert.Equal(t, seconds*60/12, own, "every own shot heard")
	assert.Greater(t, made, 2*heard, "most of the fight's cues are merged")
}
