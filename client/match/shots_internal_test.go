package match

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// A shot fired at the wall ends, quietly, where it leaves the world, as
// the server's does: drawn until then, and no event.
func TestShotLeavesTheWorldQuietly(t *testing.T) {
	s := newShots(1, 30, game.Vec{X: 2000, Y: 2000})
	t0 := time.Unix(10, 0)
	p := game.Player{ID: 1, Pos: game.Vec{X: 1900, Y: 1000}, HP: game.MaxHP}
	s.predict(1, p, game.Input{Buttons: game.ButtonFire}, t0)
	require.Len(t, s.list, 1)
	var events []Event
	hit := func(ev Event) { events = append(events, ev) }
	drawn := func(at time.Time) int { return len(s.draw(nil, at, hit)) }
	assert.Equal(t, 1, drawn(t0), "drawn on the click")
	assert.Equal(t, 1, drawn(t0.Add(50*time.Millisecond)), "still in the world: 1924 + 45")
	assert.Zero(t, drawn(t0.Add(100*time.Millisecond)), "past the edge at 1924 + 90")
	assert.Zero(t, drawn(t0.Add(50*time.Millisecond)), "and gone for good")
	assert.Empty(t, events)
	assert.False(t, s.shownGone(Event{Kind: Gone, Entity: netcode.Entity{Kind: game.KindProjectile, Owner: 1}}),
		"an unmatched shot has no server copy to hide")
}

// TestShotEndedAtOnceIsNotDropped: a predicted shot that hit what the
// client drew before any snapshot could show the server's copy (which hit
// in its first tick too) is counted as ended at once once the server has
// gone past its input, not as dropped; one that ended nowhere is dropped.
func TestShotEndedAtOnceIsNotDropped(t *testing.T) {
	for _, tc := range []struct {
		name           string
		drone          bool // a drone right in front of the muzzle
		ended, dropped uint64
	}{
		{"hit a drone at point blank", true, 1, 0},
		{"nothing hit, no server copy", false, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newShots(1, 30, game.Vec{X: 2000, Y: 2000})
			t0 := time.Unix(10, 0)
			p := game.Player{ID: 1, Pos: game.Vec{X: 1000, Y: 1000}, HP: game.MaxHP}
			s.predict(5, p, game.Input{Buttons: game.ButtonFire}, t0)
			require.Len(t, s.list, 1)
			var drawn []netcode.Interpolated
			if tc.drone {
				drawn = append(drawn, netcode.Interpolated{E: netcode.Entity{ID: 9, Kind: game.KindDrone, HP: game.DroneHP}, Pos: game.Vec{X: 1060, Y: 1000}})
			}
			var hits int
			s.draw(drawn, t0.Add(20*time.Millisecond), func(Event) { hits++ })
			require.Equal(t, tc.drone, hits == 1, "the hit shown")
			st := &netcode.State{Tick: 100}
			s.reconcile(st, netcode.Entity{}, false, 7, t0.Add(100*time.Millisecond))
			assert.Equal(t, tc.ended, s.endedAtOnce, "ended at once")
			assert.Equal(t, tc.dropped, s.dropped, "dropped")
			assert.Empty(t, s.list)
		})
	}
}
