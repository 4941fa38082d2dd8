package fleet

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/skirmish-game/skirmish/netcode"
)

// maxMatchBody bounds a POST /match body: three short strings.
const maxMatchBody = 1 << 10

// maxMatchTries is how many servers one match asks for a seat before it
// answers 503: the directory is up to a heartbeat old, so the first choice
// may have filled meanwhile.
const maxMatchTries = 4

// maxIPLen bounds a seat request's address: an IPv6 address with a zone.
const maxIPLen = 64

// ModeArena is the one game mode; a match request may name it or none.
const ModeArena = "arena"

var (
	errBadMatch = errors.New("fleet: bad match request")
	errNoSeat   = errors.New("fleet: no server can take a seat")
	errBadSeat  = errors.New("fleet: bad seat message")
)

// matchRequest is POST /match's body; every field may be left out.
type matchRequest struct {
	Room   string `json:"room"`   // "": quick play
	Region string `json:"region"` // "": any; servers of this region first
	Mode   string `json:"mode"`   // "" or "arena"
	// Private keeps a room this match makes out of GET /rooms. It hides
	// the name, it does not guard it: anyone who knows it can join.
	Private bool `json:"private"`
}

// matchResponse is POST /match's answer.
type matchResponse struct {
	URL     string `json:"url"`
	Room    string `json:"room"`
	Ticket  string `json:"ticket"`
	Expires string `json:"expires"` // RFC 3339
}

func decodeMatchRequest(data []byte) (matchRequest, error) {
	var req matchRequest
	if len(data) == 0 {
		return req, nil
	}
	if err := json.Unmarshal(data, &req); err != nil {
		return matchRequest{}, fmt.Errorf("%w: %w", errBadMatch, err)
	}
	if err := netcode.ValidateRoomName(req.Room); err != nil {
		return matchRequest{}, fmt.Errorf("%w: %w", errBadMatch, err)
	}
	if len(req.Region) > MaxRegionLen {
		return matchRequest{}, fmt.Errorf("%w: region of %d bytes, at most %d", errBadMatch, len(req.Region), MaxRegionLen)
	}
	if req.Mode != "" && req.Mode != ModeArena {
		return matchRequest{}, fmt.Errorf("%w: unknown mode %q (there is %q)", errBadMatch, netcode.TruncateUTF8(req.Mode, 32), ModeArena)
	}
	return req, nil
}

func decodeSeatRequest(data []byte) (seatRequest, error) {
	var req seatRequest
	if err := json.Unmarshal(data, &req); err != nil {
		return seatRequest{}, fmt.Errorf("%w: %w", errBadSeat, err)
	}
	if err := netcode.ValidateRoomName(req.Room); err != nil {
		return seatRequest{}, fmt.Errorf("%w: %w", errBadSeat, err)
	}
	if len(req.IP) > maxIPLen {
		return seatRequest{}, fmt.Errorf("%w: ip of %d bytes", errBadSeat, len(req.IP))
	}
	return req, nil
}

func decodeSeatReply(data []byte) (seatReply, error) {
	var rep seatReply
	if err := json.Unmarshal(data, &rep); err != nil {
		return seatReply{}, fmt.Errorf("%w: %w", errBadSeat, err)
	}
	if rep.Error != "" {
		rep.Error = netcode.TruncateUTF8(rep.Error, netcode.MaxErrorTextLen)
		return rep, nil
	}
	switch {
	case rep.Room == "" || netcode.ValidateRoomName(rep.Room) != nil:
		return seatReply{}, fmt.Errorf("%w: room %q", errBadSeat, netcode.TruncateUTF8(rep.Room, 64))
	case rep.Ticket == "" || len(rep.Ticket) > netcode.MaxTicketLen:
		return seatReply{}, fmt.Errorf("%w: ticket of %d bytes", errBadSeat, len(rep.Ticket))
	case rep.URL != "" && checkWSURL(rep.URL) != nil:
		return seatReply{}, fmt.Errorf("%w: url: %w", errBadSeat, checkWSURL(rep.URL))
	case rep.Expires.IsZero():
		return seatReply{}, fmt.Errorf("%w: no expiry", errBadSeat)
	}
	return rep, nil
}

// candidate is a seat to ask for: in room on server, or with room "" in a
// new public room there.
type candidate struct {
	server Announcement
	room   string
	public bool
}

// plan orders the seats a match asks for. A named room goes to the server
// that holds it, or is made on the least-loaded server; quick play fills
// the fullest public room below the fill target (0: its capacity), then
// opens one on the least-loaded server. Draining servers are skipped, and
// with a region the servers of that region are tried alone if there are
// any.
func plan(servers []Announcement, req matchRequest, fill int) ([]candidate, error) {
	if req.Room != "" {
		for _, s := range servers {
			for _, r := range s.Rooms {
				if r.Name != req.Room {
					continue
				}
				if s.Draining {
					return nil, fmt.Errorf("%w: room %s is on a draining server", errNoSeat, req.Room)
				}
				return []candidate{{server: s, room: r.Name, public: r.Public}}, nil
			}
		}
	}
	open := openServers(servers, req.Region)
	var out []candidate
	if req.Room == "" {
		for _, s := range open {
			for _, r := range s.Rooms {
				target := r.Capacity
				if fill > 0 {
					target = min(fill, r.Capacity)
				}
				if r.Public && r.Players < target {
					out = append(out, candidate{server: s, room: r.Name, public: true})
				}
			}
		}
		slices.SortStableFunc(out, func(a, b candidate) int {
			return cmp.Or(-cmp.Compare(roomPlayers(a), roomPlayers(b)), cmp.Compare(a.room, b.room))
		})
	}
	for _, s := range leastLoaded(open) {
		out = append(out, candidate{server: s, room: req.Room})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no server that is not draining", errNoSeat)
	}
	return out, nil
}

func roomPlayers(c candidate) int {
	for _, r := range c.server.Rooms {
		if r.Name == c.room {
			return r.Players
		}
	}
	return 0
}

// openServers are the servers that take new seats: not draining, and of
// region when any of them is.
func openServers(servers []Announcement, region string) []Announcement {
	var open, local []Announcement
	for _, s := range servers {
		if s.Draining {
			continue
		}
		open = append(open, s)
		if region != "" && s.Region == region {
			local = append(local, s)
		}
	}
	if len(local) > 0 {
		return local
	}
	return open
}

// leastLoaded orders servers by players, then rooms, then ID.
func leastLoaded(servers []Announcement) []Announcement {
	out := slices.Clone(servers)
	slices.SortStableFunc(out, func(a, b Announcement) int {
		return cmp.Or(cmp.Compare(a.Players, b.Players), cmp.Compare(len(a.Rooms), len(b.Rooms)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Handler serves GET /rooms and POST /match, for the game port.
func (n *Node) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rooms", n.serveRooms)
	mux.HandleFunc("POST /match", n.serveMatch)
	return mux
}

// live is the directory with this server's own entry fresh.
func (n *Node) live(now time.Time) []Announcement {
	n.dir.Put(n.self(), now)
	return n.dir.Live(now)
}

// urlOf is where players reach server a: its URL, or for this server with
// no -public-url, the address this request came to.
func (n *Node) urlOf(a Announcement, r *http.Request) string {
	if a.ID == n.id && n.cfg.PublicURL == "" {
		scheme := "ws"
		if r.TLS != nil {
			scheme = "wss"
		}
		return scheme + "://" + r.Host + "/ws"
	}
	return a.URL
}

type roomsServer struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Region   string `json:"region"`
	Players  int    `json:"players"`
	Rooms    int    `json:"rooms"`
	Draining bool   `json:"draining"`
}

type roomsRoom struct {
	Name     string `json:"name"`
	Server   string `json:"server"`
	URL      string `json:"url"`
	Players  int    `json:"players"`
	Capacity int    `json:"capacity"`
	Public   bool   `json:"public"`
}

type roomsResponse struct {
	Servers []roomsServer `json:"servers"`
	Rooms   []roomsRoom   `json:"rooms"`
}

func (n *Node) serveRooms(w http.ResponseWriter, r *http.Request) {
	resp := roomsResponse{Servers: []roomsServer{}, Rooms: []roomsRoom{}}
	for _, s := range n.live(time.Now()) {
		u := n.urlOf(s, r)
		resp.Servers = append(resp.Servers, roomsServer{ID: s.ID, URL: u, Region: s.Region, Players: s.Players, Rooms: len(s.Rooms), Draining: s.Draining})
		for _, rm := range s.Rooms {
			if rm.Private {
				continue
			}
			resp.Rooms = append(resp.Rooms, roomsRoom{Name: rm.Name, Server: s.ID, URL: u, Players: rm.Players, Capacity: rm.Capacity, Public: rm.Public})
		}
	}
	n.writeJSON(w, http.StatusOK, resp)
}

func (n *Node) serveMatch(w http.ResponseWriter, r *http.Request) {
	if !n.host.OriginAllowed(r) {
		n.m.match(matchForbidden)
		n.writeError(w, http.StatusForbidden, "origin "+netcode.TruncateUTF8(r.Header.Get("Origin"), 128)+" may not match players here")
		return
	}
	ip := n.host.ClientIP(r)
	if !n.limits.allow(ip, time.Now()) {
		n.m.match(matchRateLimited)
		w.Header().Set("Retry-After", "1")
		n.writeError(w, http.StatusTooManyRequests, fmt.Sprintf("more than %.0f matches a second from %s", n.cfg.MatchRatePerIP, ip))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMatchBody))
	if err != nil {
		n.m.match(matchBadRequest)
		n.writeError(w, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	req, err := decodeMatchRequest(data)
	if err != nil {
		n.m.match(matchBadRequest)
		n.writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	cands, err := plan(n.live(time.Now()), req, n.cfg.FillTarget)
	if err != nil {
		n.m.match(matchNoSeat)
		n.writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	var errs []error
	gone := map[string]bool{} // servers no one answers for: dead, or cut off from NATS
	for _, c := range cands {
		if len(errs) == maxMatchTries {
			break
		}
		if gone[c.server.ID] {
			continue
		}
		// Quick play makes public rooms only, whatever the body says.
		private := req.Private && c.room != ""
		rep, err := n.reserveOn(r.Context(), c.server.ID, c.room, ip, private)
		if err != nil {
			errs = append(errs, err)
			if errors.Is(err, nats.ErrNoResponders) {
				// A dead server's rooms stay in the directory until its
				// silence times out; without this they would take every
				// try of every match until then.
				gone[c.server.ID] = true
				n.dir.Forget(c.server.ID)
				n.log.Info("server unreachable: gone from the directory until it announces itself again", "server", c.server.ID)
			}
			continue
		}
		n.m.match(matchOK)
		n.dir.NoteSeat(c.server.ID, rep.Room, rep.Capacity, c.public || c.room == "", private)
		u := rep.URL
		if c.server.ID == n.id || u == "" {
			u = n.urlOf(c.server, r)
		}
		n.writeJSON(w, http.StatusOK, matchResponse{URL: u, Room: rep.Room, Ticket: rep.Ticket, Expires: rep.Expires.UTC().Format(time.RFC3339)})
		return
	}
	texts := make([]string, len(errs))
	for i, err := range errs {
		texts[i] = err.Error()
	}
	why := strings.Join(texts, "; ")
	n.m.match(matchNoSeat)
	n.log.Info("match found no seat", "room", req.Room, "region", req.Region, "why", why)
	n.writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("%v: %s", errNoSeat, why))
}

func (n *Node) writeError(w http.ResponseWriter, status int, text string) {
	n.writeJSON(w, status, struct {
		Error string `json:"error"`
	}{netcode.TruncateUTF8(text, 512)})
}

func (n *Node) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		n.log.Debug("write response", "err", err)
	}
}
