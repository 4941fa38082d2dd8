package link

import (
	"fmt"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// EventKind says what an Event reports.
type EventKind uint8

// The events a Link reports, in the order a session goes through them.
const (
	Dialing  EventKind = iota + 1 // an attempt to connect starts
	Joined                        // the server welcomed the player
	Message                       // a server message other than welcome and error
	Lost                          // the connection ended; another attempt follows after Wait
	Rejected                      // the server refused the player; nothing happens until Rejoin
	// Rejoining: the player's session could not be resumed (the server
	// restarted, or it expired); the next attempt, at once, joins a new
	// player with the same name and room.
	Rejoining
	// Rematching: the server is draining or gone, or refused the ticket
	// (Err says which); the Link asks the matchmaker for a new seat and
	// joins a new player wherever it is sent.
	Rematching
)

func (k EventKind) String() string {
	switch k {
	case Dialing:
		return "dialing"
	case Joined:
		return "joined"
	case Message:
		return "message"
	case Lost:
		return "lost"
	case Rejected:
		return "rejected"
	case Rejoining:
		return "rejoining"
	case Rematching:
		return "rematching"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one thing that happened to the connection.
type Event struct {
	Kind    EventKind
	Attempt int             // Dialing, Lost: attempts since the last welcome, from 1
	URL     string          // Dialing: the server dialled (once seated, where the matchmaker sent it)
	Wait    time.Duration   // Lost: until the next attempt
	Err     error           // Lost, Rejected, Rejoining: why the connection ended
	Welcome netcode.Welcome // Joined
	Data    []byte          // Message: the whole message, owned by the receiver
	// At is when the message came off the socket: the Conn's own time when
	// it gives one (the transport's, on its read loop or in the browser's
	// message event), else when the link took it. The game loop handles it
	// up to a frame later, which would otherwise count as network delay in
	// round trips and jitter.
	At time.Time
}

// Refusal is a server's reason for closing the connection: the Error message
// it sent, or the close frame's code when no Error came first.
type Refusal struct {
	Code uint16
	Text string
}

func (r *Refusal) Error() string {
	if r.Text == "" {
		return fmt.Sprintf("link: server closed the connection (%d)", r.Code)
	}
	return fmt.Sprintf("link: %s (%d)", r.Text, r.Code)
}
