package match_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// ownShots are the own shots in what the match draws at now.
func ownShots(m *match.Match, now time.Time) []netcode.Interpolated {
	var out []netcode.Interpolated
	for _, e := range m.Others(now) {
		if e.E.Kind == game.KindProjectile && e.E.Owner == m.SelfID() {
			out = append(out, e)
		}
	}
	return out
}

// shotRun plays one shot through a link with latency: the client fires on
// its first input (aim aim), the server applies each input delay ticks
// later and the snapshot of that tick comes back at once. Frames are drawn
// four times a tick. serverFires false strips the fire press on its way, so
// the server never fires that shot; nudge moves the server's player before
// it applies the firing input, so its shot starts elsewhere than predicted.
type shotRun struct {
	delay       int
	serverFires bool
	nudge       game.Vec
	target      float64 // > 0: a player stands this far along the line of fire
	fireAt      int     // the input (from 0) that fires
}

type shotFrame struct {
	at    time.Time
	shots []netcode.Interpolated
	// handover: the frame drawn right before and right after the snapshot
	// that brought the server's copy, at the same instant.
	before, after []netcode.Interpolated
	handled       bool // a snapshot came in this frame
	gone          []match.Event
	landed        int // hit markers: the own shots' Landed events
}

func (r shotRun) play(t *testing.T) (*match.Match, []shotFrame) {
	srv, m, t0 := synced(t)
	const aim = 0.3
	if r.target > 0 {
		p, ok := srv.w.Player(srv.id)
		require.True(t, ok)
		start, vel := game.ShotFrom(p.Pos, game.AngleFromQuantized(game.QuantizeAngle(aim)), game.ProjectileSpeed)
		bob := srv.w.AddPlayer("bob")
		b, ok := srv.w.Player(bob)
		require.True(t, ok)
		b.Pos = start.Add(vel.Scale((r.target - 24) / game.ProjectileSpeed))
	}
	tick := time.Second / tickRate
	var queue []netcode.Input
	var frames []shotFrame
	for i := range 40 {
		now := t0.Add(time.Duration(i) * tick)
		in := game.Input{Aim: aim}
		if i == r.fireAt {
			in.Buttons = game.ButtonFire
		}
		queue = append(queue, m.NextInput(in, now))
		f := shotFrame{at: now, shots: ownShots(m, now)}
		if len(queue) > r.delay {
			next := queue[0]
			queue = queue[1:]
			if !r.serverFires {
				next.Buttons = 0
			}
			if next.Buttons != 0 {
				p, ok := srv.w.Player(srv.id)
				require.True(t, ok)
				p.Pos = p.Pos.Add(r.nudge)
			}
			srv.step(&next)
			f.before = ownShots(m, now)
			require.NoError(t, m.Handle(srv.snapshot(srv.acked), now))
			f.after, f.handled = ownShots(m, now), true
		}
		f.gone, f.landed = ownGone(m)
		frames = append(frames, f)
		for q := 1; q < 4; q++ {
			at := now.Add(time.Duration(q) * tick / 4)
			f := shotFrame{at: at, shots: ownShots(m, at)} // drawing may end a shot
			f.gone, f.landed = ownGone(m)
			frames = append(frames, f)
		}
	}
	return m, frames
}

// ownGone are the events of own shots ending since the last call, and the
// count of their hits (Landed).
func ownGone(m *match.Match) (out []match.Event, landed int) {
	for _, ev := range m.Events() {
		if ev.Kind == match.Landed {
			landed++
		}
		if ev.Kind == match.Gone && ev.Entity.Kind == game.KindProjectile && ev.Entity.Owner == m.SelfID() {
			out = append(out, ev)
		}
	}
	return out, landed
}

// TestPredictedShotHitsWhatIsDrawn: a shot ends where it meets a player as
// the client draws it, with one event, and the server's later news of the
// same hit shows nothing more; the server agrees, having judged the hit
// where the client drew the target.
func TestPredictedShotHitsWhatIsDrawn(t *testing.T) {
	const fireAt, distance = 6, 150.0
	m, frames := shotRun{delay: 4, serverFires: true, target: distance, fireAt: fireAt}.play(t)
	var ends []int
	landed := 0
	for i, f := range frames {
		for range f.gone {
			ends = append(ends, i)
		}
		landed += f.landed
	}
	require.Len(t, ends, 1, "one end shown: %v", ends)
	assert.Equal(t, 1, landed, "one hit marker: the server's news of the predicted hit, not a second")
	hitAt := frames[ends[0]]
	// From the muzzle (24 out) to the target's rim (24 short of it).
	flight := (distance - 48) / game.ProjectileSpeed
	assert.InDelta(t, flight, hitAt.at.Sub(frames[4*fireAt].at).Seconds(), 1.0/tickRate/4+1e-9, "ended as it reached the target")
	for _, f := range frames[ends[0]+1:] {
		assert.Empty(t, f.shots, "not drawn after its hit")
	}
	assert.Equal(t, uint64(1), m.Stats().ShotsMatched, "the server fired it too")
	var bob *netcode.Entity
	for i, e := range m.Latest().Entities {
		if e.Name == "bob" {
			bob = &m.Latest().Entities[i]
		}
	}
	require.NotNil(t, bob)
	assert.Equal(t, uint8(game.MaxHP-game.ProjectileDamage), bob.HP, "the server hit the target too, and its news showed no second end")
}

func TestPredictedShotShowsOnTheClick(t *testing.T) {
	m, frames := shotRun{delay: 4, serverFires: true}.play(t)
	require.Len(t, frames[0].shots, 1, "the shot is drawn in the frame of the input that fires it")
	self := m.Stats()
	assert.Equal(t, uint64(1), self.ShotsPredicted)
	// At the click it sits on the ship's rim along the aim.
	p := frames[0].shots[0]
	dir := game.FromAngle(game.AngleFromQuantized(game.QuantizeAngle(0.3)))
	assert.InDelta(t, game.ProjectileSpeed, p.Vel.Len(), 1e-9)
	assert.InDelta(t, 1, p.Vel.Scale(1/game.ProjectileSpeed).Dot(dir), 1e-9, "along the aim")
}

func TestPredictedShotHandsOver(t *testing.T) {
	tests := []struct {
		name string
		run  shotRun
		pop  float64 // largest jump at the hand-over, world units
		off  float64 // how far the server's path is from the predicted one
	}{
		{name: "exact prediction", run: shotRun{delay: 4, serverFires: true}, pop: 1e-9},
		{name: "the server's shot starts 6 units off", run: shotRun{delay: 4, serverFires: true, nudge: game.Vec{X: 3, Y: -5}}, pop: 1e-9, off: 5.8},
		{name: "no latency", run: shotRun{delay: 0, serverFires: true}, pop: 1e-9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, frames := tt.run.play(t)
			handovers := 0
			var prev *netcode.Interpolated
			var prevAt time.Time
			for i, f := range frames {
				assert.LessOrEqual(t, len(f.shots), 1, "frame %d: never a second copy", i)
				assert.LessOrEqual(t, len(f.after), 1, "frame %d: never a second copy", i)
				if len(f.before) == 1 && len(f.after) == 1 && f.before[0].E.ID == 0 && f.after[0].E.ID != 0 {
					handovers++
					assert.InDelta(t, 0, f.after[0].Pos.Sub(f.before[0].Pos).Len(), tt.pop, "no pop at the hand-over")
				}
				cur := f.shots
				if f.handled {
					cur = f.after
				}
				if len(cur) == 1 && prev != nil {
					// Between frames it moves on at the shot's speed, give or
					// take what the blend takes off a small difference.
					step := cur[0].Pos.Sub(prev.Pos).Len()
					want := game.ProjectileSpeed * f.at.Sub(prevAt).Seconds()
					assert.InDelta(t, want, step, 2, "frame %d: smooth", i)
				}
				if len(cur) == 1 {
					prev, prevAt = &cur[0], f.at
				} else {
					prev = nil
				}
			}
			assert.Equal(t, 1, handovers, "the server's copy takes over once")
			assert.Equal(t, uint64(1), m.Stats().ShotsMatched)
			assert.Zero(t, m.Stats().ShotsDropped)
			// The server's copy is the shot drawn from then on, on the
			// server's path once the blend has run out.
			last := frames[len(frames)-1]
			assert.Empty(t, last.shots, "gone at the end of its flight")
			mid := frames[4*(tt.run.delay+4)]
			require.Len(t, mid.shots, 1)
			assert.NotZero(t, mid.shots[0].E.ID, "the server's copy")
			click := frames[0].shots[0]
			predicted := click.Pos.Add(click.Vel.Scale(mid.at.Sub(frames[0].at).Seconds()))
			assert.InDelta(t, tt.off, mid.shots[0].Pos.Sub(predicted).Len(), 0.2, "on the server's path by then")
		})
	}
}

func TestUnconfirmedShotIsDropped(t *testing.T) {
	const delay = 4
	m, frames := shotRun{delay: delay, serverFires: false}.play(t)
	require.Len(t, frames[0].shots, 1, "predicted")
	// The server applies the firing input in the frame of input delay, and
	// the next two; then the shot is gone.
	gone := -1
	for i, f := range frames {
		if shown := f.shots; len(shown) == 0 || f.handled && len(f.after) == 0 {
			gone = i
			break
		}
	}
	require.Positive(t, gone, "dropped")
	assert.Equal(t, 4*(delay+2), gone, "once the server has gone two inputs past it")
	assert.Equal(t, uint64(1), m.Stats().ShotsDropped)
	assert.Zero(t, m.Stats().ShotsMatched)
}

// TestFiredOncePerShot: with the trigger held, Fired is true for exactly the
// inputs that start a predicted shot, one per shot the server fires too, so
// the client sounds each own shot once.
func TestFiredOncePerShot(t *testing.T) {
	srv, m, t0 := synced(t)
	tick := time.Second / tickRate
	var queue []netcode.Input
	fired := 0
	serverShots := map[uint32]bool{}
	for i := range 2 * tickRate {
		now := t0.Add(time.Duration(i) * tick)
		queue = append(queue, m.NextInput(game.Input{Aim: 0.3, Buttons: game.ButtonFire}, now))
		if m.Fired() {
			fired++
		}
		if len(queue) > 2 {
			srv.step(&queue[0])
			queue = queue[1:]
			require.NoError(t, m.Handle(srv.snapshot(srv.acked), now))
			for _, e := range m.Latest().Entities {
				if e.Kind == game.KindProjectile && e.Owner == m.SelfID() {
					serverShots[e.ID] = true
				}
			}
		}
	}
	assert.Equal(t, int(m.Stats().ShotsPredicted), fired, "one sound per predicted shot")
	assert.InDelta(t, 2/game.FireInterval, fired, 1, "at the gun's rate")
	assert.InDelta(t, len(serverShots), fired, 1, "as many as the server fired (the last may still be on its way)")
	m.NextInput(game.Input{Aim: 0.3}, t0.Add(3*time.Second))
	assert.False(t, m.Fired(), "no shot without the trigger")
}
