package lobby

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
)

// Request is POST /match's body; every field is optional, and all empty is
// quick play: any public room with space, anywhere.
type Request struct {
	Room   string `json:"room"`
	Region string `json:"region"`
	Mode   string `json:"mode"`
}

// Seat is where POST /match sends the player: the owning server's game URL
// (which may be another server than the one asked), the room, and the
// ticket to send in the hello before Expires.
type Seat struct {
	URL     string    `json:"url"`
	Room    string    `json:"room"`
	Ticket  string    `json:"ticket"`
	Expires time.Time `json:"expires"`
}

// Server is one server of the fleet as GET /rooms lists it.
type Server struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Region   string `json:"region"`
	Players  int    `json:"players"`
	Rooms    int    `json:"rooms"`
	Draining bool   `json:"draining"`
}

// Room is one room of the fleet.
type Room struct {
	Name     string `json:"name"`
	Server   string `json:"server"` // a Server's ID
	URL      string `json:"url"`
	Players  int    `json:"players"`
	Capacity int    `json:"capacity"`
	Public   bool   `json:"public"`
}

// Full reports whether the room has no seat left.
func (r Room) Full() bool { return r.Capacity > 0 && r.Players >= r.Capacity }

// Fleet is GET /rooms: every server and every room the directory knows.
type Fleet struct {
	Servers []Server `json:"servers"`
	Rooms   []Room   `json:"rooms"`
}

// Caps on a decoded Fleet: what the lobby shows and remembers stays bounded
// whatever a server sends.
const (
	MaxServers = 1024
	MaxRooms   = 8192
	maxIDLen   = 128
	maxURLLen  = 512
)

// DecodeSeat decodes and checks POST /match's answer: a ws:// or wss:// URL
// with a host, a valid room name and a ticket the hello can carry.
func DecodeSeat(data []byte) (Seat, error) {
	// Expires is read as text: the client only shows it, so a server that
	// leaves it out or writes it otherwise still seats the player.
	var w struct {
		Seat
		Expires string `json:"expires"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return Seat{}, fmt.Errorf("%w: match: %w", ErrBadAnswer, err)
	}
	s := w.Seat
	if t, err := time.Parse(time.RFC3339, w.Expires); err == nil {
		s.Expires = t
	}
	if err := checkGameURL(s.URL); err != nil {
		return Seat{}, fmt.Errorf("%w: match url: %w", ErrBadAnswer, err)
	}
	if err := netcode.ValidateRoomName(s.Room); err != nil {
		return Seat{}, fmt.Errorf("%w: match room: %w", ErrBadAnswer, err)
	}
	if len(s.Ticket) > netcode.MaxTicketLen {
		return Seat{}, fmt.Errorf("%w: ticket of %d bytes, at most %d", ErrBadAnswer, len(s.Ticket), netcode.MaxTicketLen)
	}
	return s, nil
}

// DecodeFleet decodes and checks GET /rooms's answer. Entries the game
// could not use (a room with a bad name or URL, counts below zero) are left
// out rather than failing the list; more than the caps fail it.
func DecodeFleet(data []byte) (Fleet, error) {
	var f Fleet
	if err := json.Unmarshal(data, &f); err != nil {
		return Fleet{}, fmt.Errorf("%w: rooms: %w", ErrBadAnswer, err)
	}
	if len(f.Servers) > MaxServers || len(f.Rooms) > MaxRooms {
		return Fleet{}, fmt.Errorf("%w: %d servers and %d rooms, at most %d and %d", ErrBadAnswer, len(f.Servers), len(f.Rooms), MaxServers, MaxRooms)
	}
	servers := f.Servers[:0]
	for _, s := range f.Servers {
		if len(s.ID) <= maxIDLen && len(s.Region) <= maxIDLen && checkGameURL(s.URL) == nil && s.Players >= 0 && s.Rooms >= 0 {
			servers = append(servers, s)
		}
	}
	rooms := f.Rooms[:0]
	for _, r := range f.Rooms {
		if netcode.ValidateRoomName(r.Name) == nil && r.Name != "" && len(r.Server) <= maxIDLen &&
			checkGameURL(r.URL) == nil && r.Players >= 0 && r.Capacity >= 0 {
			rooms = append(rooms, r)
		}
	}
	f.Servers, f.Rooms = servers, rooms
	return f, nil
}

// checkGameURL accepts what the client can dial: ws:// or wss:// with a host.
func checkGameURL(s string) error {
	if len(s) > maxURLLen {
		return fmt.Errorf("%d bytes, at most %d", len(s), maxURLLen)
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "ws" && u.Scheme != "wss" || u.Host == "" {
		return fmt.Errorf("%q is not a ws:// or wss:// URL", s)
	}
	return nil
}
