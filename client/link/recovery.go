package link

import (
	"errors"
	"fmt"
	"strings"

	"github.com/skirmish-game/skirmish/netcode"
)

// Recovery is what a client does once a connection has ended.
type Recovery uint8

const (
	// Resume: dial again after a backoff and resume the player with the
	// session token (a network drop, a restart under way, a slow spell).
	Resume Recovery = iota + 1
	// Rejoin: the player was in the game but its session is gone (the server
	// restarted, or the resume grace ran out): join again at once as a new
	// player, with the same name and room, a fresh hello and no token.
	Rejoin
	// Stop: the server would refuse the same hello again, or the client sent
	// something it should not have, which retrying would only repeat. Wait
	// for the player (Link.Rejoin).
	Stop
	// Rematch: the server is leaving the fleet (a 1001 whose reason starts
	// with "draining") or refused the seat ticket (4011 to 4015): ask the
	// matchmaker for a new seat, wherever it is, and join there as a new
	// player, without the player doing anything.
	Rematch
)

// DrainingPrefix starts the reason of a draining server's 1001.
const DrainingPrefix = "draining"

// Draining reports whether err is a draining server's close.
func Draining(err error) bool {
	var r *Refusal
	return errors.As(err, &r) && r.Code == netcode.CloseGoingAway && strings.HasPrefix(r.Text, DrainingPrefix)
}

func (r Recovery) String() string {
	switch r {
	case Resume:
		return "resume"
	case Rejoin:
		return "rejoin"
	case Stop:
		return "stop"
	case Rematch:
		return "rematch"
	}
	return fmt.Sprintf("Recovery(%d)", uint8(r))
}

// RecoveryFor decides what follows a connection that ended with err (what
// the session reported: a *Refusal when the server said why). resuming says
// whether that connection's hello carried a session token, that is whether
// the player had been in the game.
//
// A 4006 answers only a token, and a restarted server answers every old
// token with it, so it means rejoin; it is a stop only for a hello without a
// token, which no server sends it for. A 1001 (the server shutting down) is
// a resume like any other drop: the resumes fail until the server is back,
// and the first one it answers gets the 4006; but a 1001 that says
// "draining" is a server that will not be back, so it means rematch, as do
// the refused tickets. (A Link without a Matcher cannot rematch: it resumes
// after a drain and stops at a refused ticket.)
func RecoveryFor(err error, resuming bool) Recovery {
	var r *Refusal
	if !errors.As(err, &r) {
		return Resume
	}
	if Draining(err) {
		return Rematch
	}
	switch r.Code {
	case netcode.CloseTicketInvalid, netcode.CloseTicketExpired, netcode.CloseTicketUsed,
		netcode.CloseTicketWrongServer, netcode.CloseTicketRequired:
		return Rematch
	case netcode.CloseResumeFailed:
		if resuming {
			return Rejoin
		}
		return Stop
	case netcode.CloseProtocolError, netcode.CloseRoomFull, netcode.CloseReplaced,
		netcode.CloseBadMessage, netcode.CloseUnknownKind, netcode.CloseInvalidValue, netcode.CloseNoHello:
		return Stop
	}
	return Resume
}
