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
