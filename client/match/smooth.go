package match

import (
	"time"

	"github.com/skirmish-game/skirmish/game"
)

// betweenTicks is where to draw something that moves once a tick, since
// elapsed into the tick that follows the one that took it from prev to cur:
// the way from prev to cur by the fraction of a tick elapsed, held at cur
// when the next tick is late. Drawn this way, the own ship moves on every
// frame at any frame rate, not only on the frames after a tick, at the cost
// of being drawn up to a tick behind its prediction.
func betweenTicks(prev, cur game.Vec, since, tick time.Duration) game.Vec {
	if tick <= 0 || since >= tick {
		return cur
	}
	if since <= 0 {
		return prev
	}
	a := float64(since) / float64(tick)
	return game.Vec{X: prev.X + (cur.X-prev.X)*a, Y: prev.Y + (cur.Y-prev.Y)*a}
}
