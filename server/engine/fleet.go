package engine

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/skirmish-game/skirmish/netcode"
)

// DefaultDrainTimeout is how long a drain lets games go on before it closes
// what is left: long enough for most rounds to end by themselves.
const DefaultDrainTimeout = 2 * time.Minute

// drainPoll is how often a drain looks whether the rooms are empty yet.
const drainPoll = 100 * time.Millisecond

// DrainReason is the close reason (and Error text) of the clients a drain
// closes; it starts with "draining" so that a client knows to re-match.
const DrainReason = "draining: server is shutting down, re-match"

// Errors of Reserve and of tickets.
var (
	// ErrDraining: the server takes no new rooms or seats.
	ErrDraining = errors.New("engine: server draining")
	// ErrRoomFull: the room has no seat left, or no room can be made.
	ErrRoomFull = errRoomFull
	// ErrTicketInvalid is wrapped by a TicketVerifier for a forged or
	// malformed ticket.
	ErrTicketInvalid = errors.New("engine: ticket invalid")
	// ErrTicketExpired is wrapped by a TicketVerifier for a ticket past its
	// expiry.
	ErrTicketExpired = errors.New("engine: ticket expired")

	errTicketUsed        = errors.New("engine: ticket already used")
	errTicketWrongServer = errors.New("engine: ticket for another server or room")
)

// Fleet is what a server in a fleet hands the engine: package main wires it
// from the fleet package, which the engine does not know.
type Fleet struct {
	ServerID      string         // this server's ID; a ticket must name it
	Tickets       TicketVerifier // checks a hello's ticket; nil: every ticket is refused (4011)
	RequireTicket bool           // admit only hellos with a ticket (4015); resumes still work
	DrainTimeout  time.Duration  // how long a drain lets games go on; 0: DefaultDrainTimeout
	// ArenaPrefix names the public rooms this server opens (prefix + n); it
	// must start with "arena-" and keeps names unique across the fleet.
	// "": "arena-".
	ArenaPrefix string
}

// TicketVerifier checks a seat ticket's signature and expiry. Its errors
// wrap ErrTicketInvalid or ErrTicketExpired.
type TicketVerifier interface {
	Verify(ticket string) (TicketClaims, error)
}

// TicketClaims is what a valid ticket says.
type TicketClaims struct {
	Server  string // the server ID that holds the seat
	Room    string
	Seat    string // the reservation's ID, good for one hello
	Expires time.Time
}

// RoomInfo is one room as the fleet's directory shows it.
type RoomInfo struct {
	Name     string
	Players  int // seats taken: players, joins on their way and reserved seats
	Capacity int
	Public   bool
}

// Reservation is a seat held in a room for a ticketed hello until Expires.
type Reservation struct {
	Room     string
	Capacity int
	Seat     string
	Expires  time.Time
}

// JoinFleet makes the server a member of a fleet. Call it before Serve.
func (s *Server) JoinFleet(f Fleet) error {
	if f.ArenaPrefix == "" {
		f.ArenaPrefix = publicPrefix
	}
	if !strings.HasPrefix(f.ArenaPrefix, publicPrefix) || len(f.ArenaPrefix)+4 > netcode.MaxRoomLen {
		return fmt.Errorf("%w: arena prefix %q must start with %q and leave room for a number", ErrInvalidConfig, f.ArenaPrefix, publicPrefix)
	}
	if f.DrainTimeout < 0 {
		return fmt.Errorf("%w: drain timeout %v is negative", ErrInvalidConfig, f.DrainTimeout)
	}
	if f.DrainTimeout == 0 {
		f.DrainTimeout = DefaultDrainTimeout
	}
	s.fleet = f
	s.rooms.setArenaPrefix(f.ArenaPrefix)
	return nil
}

// HandleGame serves pattern on the game port (the fleet's /match and
// /rooms). Call it before Serve.
func (s *Server) HandleGame(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ClientIP is the address the per-address limits count for r: its peer, or
// behind a trusted proxy the client the proxy names.
func (s *Server) ClientIP(r *http.Request) string { return s.proxies.clientIP(r) }

// OriginAllowed applies /ws's origin rule (-allowed-origins) to another
// request: a page of another site may not make its visitors' browsers
// reserve seats either.
func (s *Server) OriginAllowed(r *http.Request) bool { return s.originAllowed(r) }

// RegisterMetrics adds collectors of another package (the fleet's) to
// /metrics. Call it before Serve.
func (s *Server) RegisterMetrics(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := s.m.reg.Register(c); err != nil {
			return fmt.Errorf("engine: register metrics: %w", err)
		}
	}
	return nil
}

// Rooms lists the open rooms, by name.
func (s *Server) Rooms() []RoomInfo {
	out := s.rooms.list(time.Now())
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Reserve holds a seat in the room called name, made if need be, or when
// name is empty in a new public room, for hold, for a match from address
// ip. The seat counts against the room's capacity, and against ip's
// MaxSeatsPerIP there, until a hello with its ticket takes it or it
// expires.
func (s *Server) Reserve(name, ip string, hold time.Duration) (Reservation, error) {
	return s.rooms.reserve(name, ip, time.Now(), hold)
}

// Drain stops the server taking new rooms and seats; the games go on until
// every room is empty or the drain timeout passes, then Serve closes the
// clients left with 1001 and DrainReason and returns. Idempotent.
func (s *Server) Drain() {
	s.drainOnce.Do(func() {
		timeout := cmp.Or(s.fleet.DrainTimeout, DefaultDrainTimeout) // a server in no fleet drains too
		s.rooms.setDraining()
		s.log.Info("draining", "timeout", timeout)
		go s.awaitDrained(time.Now().Add(timeout))
	})
}

// Draining reports whether Drain was called.
func (s *Server) Draining() bool { return s.rooms.isDraining() }

func (s *Server) awaitDrained(deadline time.Time) {
	t := time.NewTicker(drainPoll)
	defer t.Stop()
	for now := range t.C {
		if s.rooms.seatsTaken() == 0 {
			s.log.Info("drained: rooms empty")
			break
		}
		if now.After(deadline) {
			s.log.Info("drain timeout: closing the games left")
			break
		}
	}
	close(s.drained)
}

func (s *Server) serveDrain(w http.ResponseWriter, _ *http.Request) {
	s.Drain()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	if err := json.NewEncoder(w).Encode(struct {
		Draining bool `json:"draining"`
	}{true}); err != nil {
		s.log.Debug("write drain", "err", err)
	}
}

// joinTicketed admits a hello by its seat ticket: the seat the ticket names
// was reserved on this server, and the ticket may be used once.
func (c *session) joinTicketed(name, roomName, ticket string) {
	f := &c.srv.fleet
	if ticket == "" {
		c.fail(netcode.CloseTicketRequired, "ticket required: this server admits only players with a seat ticket from POST /match")
		return
	}
	if f.Tickets == nil {
		c.fail(netcode.CloseTicketInvalid, "ticket invalid: this server checks no tickets")
		return
	}
	claims, err := f.Tickets.Verify(ticket)
	if err == nil && (claims.Server != f.ServerID || (roomName != "" && roomName != claims.Room)) {
		err = fmt.Errorf("%w: it is for room %s on server %s, not room %s here", errTicketWrongServer, claims.Room, claims.Server, roomName)
	}
	token := newToken()
	var r *room
	if err == nil {
		r, err = c.srv.rooms.claim(claims.Seat, token, c.ip, time.Now())
	}
	if err != nil {
		c.fail(ticketCloseCode(err), err.Error())
		return
	}
	c.enter(r, name, token)
}

func ticketCloseCode(err error) uint16 {
	var le *addressLimitError
	switch {
	case errors.Is(err, ErrTicketExpired):
		return netcode.CloseTicketExpired
	case errors.Is(err, errTicketUsed):
		return netcode.CloseTicketUsed
	case errors.Is(err, errTicketWrongServer):
		return netcode.CloseTicketWrongServer
	case errors.Is(err, errShuttingDown):
		return netcode.CloseGoingAway
	case errors.As(err, &le):
		return netcode.CloseTooManyConns
	default:
		return netcode.CloseTicketInvalid
	}
}
