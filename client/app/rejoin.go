package app

import (
	"errors"
	"time"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/netcode"
)

// resumeGrace is how long a server keeps a dropped player for its session
// token (its default, PROTOCOL.md section 8). A token refused sooner than
// that after the connection dropped was lost to a restart, not to the wait.
const resumeGrace = 10 * time.Second

// noticeFor is how long the notice of a rejoin stays up.
const noticeFor = 4 * time.Second

// moveNotice tells the player why the client moves to another server, as
// the link's Rematching reports it: while it moves, and once it is there
// (done), for the notice after the welcome.
func moveNotice(why error, done bool) string {
	cause, moving, moved := "Seat refused", "finding you another", "found you another"
	switch {
	case link.Draining(why):
		cause, moving, moved = "Server draining", "moving you to another server", "moved you to another server"
	case errors.Is(why, link.ErrServerGone):
		cause, moving, moved = "Server lost", "moving you to another server", "moved you to another server"
	}
	if done {
		return cause + ": " + moved
	}
	return cause + ", " + moving
}

// rejoinNotice tells the player why the game started over: loss is why the
// connection of the game that was lost ended, outage how long ago.
func rejoinNotice(loss error, outage time.Duration) string {
	var r *link.Refusal
	if errors.As(loss, &r) && r.Code == netcode.CloseGoingAway || outage < resumeGrace {
		return "The server restarted: joined again"
	}
	return "The session expired: joined again"
}
