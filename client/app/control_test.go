package app

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/game"
)

func TestMove(t *testing.T) {
	for _, tc := range []struct {
		name string
		held held
		want uint8
	}{
		{"nothing", held{}, 0},
		{"up", held{Up: true}, game.MoveUp},
		{"down", held{Down: true}, game.MoveDown},
		{"left", held{Left: true}, game.MoveLeft},
		{"right", held{Right: true}, game.MoveRight},
		{"up right", held{Up: true, Right: true}, game.MoveUp | game.MoveRight},
		{"down left", held{Down: true, Left: true}, game.MoveDown | game.MoveLeft},
		{"up and down cancel", held{Up: true, Down: true}, 0},
		{"left and right cancel", held{Left: true, Right: true}, 0},
		{"cancel one axis keep the other", held{Up: true, Down: true, Left: true}, game.MoveLeft},
		{"all four", held{Up: true, Down: true, Left: true, Right: true}, 0},
		{"fire does not move", held{Fire: true}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.held.Move()
			assert.Equal(t, tc.want, got)
			assert.Zero(t, got&^game.MoveMask)
		})
	}
}

func TestButtons(t *testing.T) {
	assert.Equal(t, game.ButtonFire, held{Fire: true}.Buttons())
	assert.Zero(t, held{Up: true}.Buttons())
}

func TestAim(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dx, dy float64
		want   float64
	}{
		{"right", 10, 0, 0},
		{"down (screen y grows down)", 0, 10, math.Pi / 2},
		{"left", -10, 0, math.Pi},
		{"up", 0, -10, 3 * math.Pi / 2},
		{"down right", 5, 5, math.Pi / 4},
		{"on the ship keeps the previous aim", 0, 0, 1.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := aimAt(100, 200, 100+tc.dx, 200+tc.dy, 1.25)
			assert.InDelta(t, tc.want, got, 1e-9)
			assert.GreaterOrEqual(t, got, 0.0)
			assert.Less(t, got, 2*math.Pi)
		})
	}
}

func TestAutopilot(t *testing.T) {
	const rate = 30
	moves := map[uint8]bool{}
	fired, held := 0, 0
	prevAim := Autopilot(0, rate).Aim
	for tick := uint64(0); tick < 8*rate; tick++ {
		in := Autopilot(tick, rate)
		assert.Zero(t, in.Move&^game.MoveMask)
		assert.NotZero(t, in.Move, "always moving")
		assert.GreaterOrEqual(t, in.Aim, 0.0)
		assert.Less(t, in.Aim, 2*math.Pi)
		moves[in.Move] = true
		if in.Buttons&game.ButtonFire != 0 {
			fired++
		} else {
			held++
		}
		if tick > 0 && in.Aim > prevAim {
			assert.InDelta(t, autopilotTurnRate/rate, in.Aim-prevAim, 1e-9, "aim sweeps steadily")
		}
		prevAim = in.Aim
	}
	assert.Len(t, moves, len(autopilotLegs), "every leg flown within 8 s")
	assert.Positive(t, fired, "fires sometimes")
	assert.Greater(t, held, fired, "but not all the time")
	assert.Equal(t, Autopilot(12345, rate), Autopilot(12345, rate), "deterministic")
}

func TestUpdatesPerTick(t *testing.T) {
	for _, tc := range []struct {
		name     string
		tickRate int
		want     int
	}{
		{"default 30 Hz: 60 Updates", 30, 2},
		{"20 Hz: 60", 20, 3},
		{"25 Hz: 75, the nearest whole multiple", 25, 3},
		{"slowest 10 Hz", 10, 6},
		{"60 Hz: one each", 60, 1},
		{"faster than 60", 128, 1},
		{"not yet known", 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := updatesPerTick(tc.tickRate)
			assert.Equal(t, tc.want, got)
			if tc.tickRate > 0 {
				assert.GreaterOrEqual(t, got*tc.tickRate, minUpdateRate)
			}
		})
	}
}

func TestInputLatch(t *testing.T) {
	right, left, fire := held{Right: true}, held{Left: true}, held{Fire: true}
	for _, tc := range []struct {
		name    string
		earlier []held // samples before the previous net tick
		samples []held // samples since it
		want    held   // what this net tick sends
	}{
		{"nothing", nil, []held{{}, {}}, held{}},
		{"held through", nil, []held{right, right}, right},
		{"click pressed and released between ticks", nil, []held{{}, fire, {}}, fire},
		{"direction tapped between ticks", nil, []held{{}, left, {}}, left},
		{"tap while holding another", nil, []held{right, right.or(fire), right}, right.or(fire)},
		{"pressed at the tick's own sample", nil, []held{{}, fire}, fire},
		{"released before the tick", []held{right}, []held{right, {}}, held{}},
		{"released and tapped again", []held{right}, []held{{}, right, {}}, right},
		{"a tap is sent once", []held{fire, {}}, []held{{}, {}}, held{}},
		{"held over the tick, no new press", []held{fire}, []held{fire}, fire},
		{"no sample since the tick: still held", []held{right}, nil, right},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l inputLatch
			for _, h := range tc.earlier {
				l.sample(h)
			}
			l.take()
			for _, h := range tc.samples {
				l.sample(h)
			}
			assert.Equal(t, tc.want, l.take())
		})
	}
}

func TestNetPacer(t *testing.T) {
	tick := time.Second / 30
	for _, tc := range []struct {
		name     string
		frame    time.Duration // between frames
		perFrame int           // Updates in each, one after the other
		frames   int
		stallAt  int // frame before which the clock jumps by a second; 0: none
		wantSent int
		wantMax  int // inputs sent at one Update, at most
	}{
		{"60 fps: every other Update", time.Second / 60, 1, 60, 0, 30, 1},
		{"20 fps, an Update each (slow motion): still 30 inputs", time.Second / 20, 1, 20, 0, 30, 3},
		{"4 fps, 5 Updates a frame (slow motion): a tick each 33 ms to the last frame, at 1 s", time.Second / 4, 5, 5, 0, 31, maxCatchUp},
		{"a stall: the missed ticks are not all sent", time.Second / 60, 1, 60, 30, 30 + maxCatchUp, maxCatchUp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := netPacer{every: tick, perTick: updatesPerTick(30)}
			now := time.Unix(100, 0)
			sent, most := 0, 0
			for f := 0; f < tc.frames; f++ {
				if tc.stallAt > 0 && f == tc.stallAt {
					now = now.Add(time.Second)
				}
				for range tc.perFrame {
					n := p.due(now)
					sent, most = sent+n, max(most, n)
				}
				now = now.Add(tc.frame)
			}
			assert.InDelta(t, tc.wantSent, sent, 1)
			assert.LessOrEqual(t, most, tc.wantMax)
		})
	}
}
