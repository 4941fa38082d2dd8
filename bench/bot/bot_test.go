package bot

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

func TestBaselinesKeepWhatTheServerMayName(t *testing.T) {
	var bs baselines
	push := func(tick, baseline uint32) {
		s := bs.alloc()
		s.Tick = tick
		bs.push(s, baseline)
	}
	push(1, 0)
	push(2, 1)
	push(3, 1)
	require.NotNil(t, bs.find(1), "baseline 1 was named last, so it stays")
	push(4, 3)
	assert.Nil(t, bs.find(1), "older than the newest named baseline")
	assert.Nil(t, bs.find(2))
	assert.NotNil(t, bs.find(3))
	assert.Equal(t, uint32(4), bs.newest().Tick)
	assert.Len(t, bs.free, 2, "dropped states are recycled")

	for tick := uint32(5); tick < 5+2*maxHeld; tick++ {
		push(tick, 3) // a server that never moves its baseline
	}
	assert.Len(t, bs.held, maxHeld, "the bound holds")
	assert.Equal(t, uint32(4+2*maxHeld), bs.newest().Tick)
}

func TestParseBehavior(t *testing.T) {
	tests := []struct {
		in      string
		want    Behavior
		wantErr bool
	}{
		{in: "idle", want: Idle},
		{in: "wander", want: Wander},
		{in: "fight", want: Fight},
		{in: "dance", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var b Behavior
			err := b.Set(tt.in)
			if tt.wantErr {
				assert.ErrorIs(t, err, ErrBehavior)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, b)
			assert.Equal(t, tt.in, b.String())
		})
	}
}

func TestMind(t *testing.T) {
	now := time.Unix(0, 0)
	world := view{worldW: 4000, worldH: 4000}
	tests := []struct {
		name  string
		b     Behavior
		v     view
		check func(t *testing.T, in game.Input)
	}{
		{name: "idle sends zero input", b: Idle, v: world, check: func(t *testing.T, in game.Input) {
			assert.Zero(t, in)
		}},
		{name: "wander never fires", b: Wander, v: view{hasTarget: true, targetAim: 1, worldW: 4000, worldH: 4000}, check: func(t *testing.T, in game.Input) {
			assert.Zero(t, in.Buttons)
			assert.LessOrEqual(t, math.Abs(in.Aim), math.Pi)
		}},
		{name: "fight aims at its target and fires", b: Fight, v: view{hasTarget: true, targetAim: 1.25, worldW: 4000, worldH: 4000}, check: func(t *testing.T, in game.Input) {
			assert.Equal(t, game.ButtonFire, in.Buttons)
			assert.Equal(t, 1.25, in.Aim)
		}},
		{name: "fight without a target holds fire", b: Fight, v: world, check: func(t *testing.T, in game.Input) {
			assert.Zero(t, in.Buttons)
		}},
		{name: "near the top-left corner it heads inwards", b: Wander, v: view{self: game.Vec{X: 10, Y: 10}, hasSelf: true, worldW: 4000, worldH: 4000}, check: func(t *testing.T, in game.Input) {
			if in.Move != 0 {
				assert.Equal(t, game.MoveDown|game.MoveRight, in.Move)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mind{behavior: tt.b, rng: rand.New(rand.NewPCG(1, 2))}
			for i := range 200 {
				in := m.next(now.Add(time.Duration(i)*100*time.Millisecond), tt.v)
				assert.Zero(t, in.Move&^game.MoveMask)
				tt.check(t, in)
			}
		})
	}
}

func TestFrameHeaderLen(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		masked bool
		want   int
	}{
		{name: "small server frame", n: 20, want: 2},
		{name: "small client frame", n: 20, masked: true, want: 6},
		{name: "medium", n: 126, want: 4},
		{name: "large", n: 70000, masked: true, want: 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, frameHeaderLen(tt.n, tt.masked))
		})
	}
}

func TestSeeFindsNearestLivingPlayer(t *testing.T) {
	b := New(&Config{Behavior: Fight}, NewRecorder(), "b", "r", 1)
	b.playerID = 5
	pos := func(v float64) uint16 { return netcode.QuantizePos(v) }
	st := &netcode.State{Tick: 9, Entities: []netcode.Entity{
		{ID: 2, Kind: game.KindPlayer, X: pos(100), Y: pos(200)},            // 100 away, straight down
		{ID: 3, Kind: game.KindPlayer, X: pos(110), Y: pos(100), Timer: 30}, // nearer but dead
		{ID: 4, Kind: game.KindDrone, X: pos(101), Y: pos(100)},             // nearer but a drone
		{ID: 5, Kind: game.KindPlayer, X: pos(100), Y: pos(100)},            // itself
		{ID: 6, Kind: game.KindPlayer, X: pos(100), Y: pos(400)},            // farther
	}}
	b.see(st)
	require.True(t, b.view.hasSelf)
	require.True(t, b.view.hasTarget)
	assert.InDelta(t, math.Pi/2, b.view.targetAim, 1e-9)
}
