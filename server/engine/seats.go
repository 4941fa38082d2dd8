package engine

import (
	"fmt"
	"time"
)

// seatBook holds the seats reserved for tickets, and the seats whose ticket
// was used, until that ticket expires, so a second use is told apart from a
// forgery. The registry's mutex guards it.
type seatBook struct {
	reserved map[string]reservation // seat ID -> where it is held
	used     map[string]time.Time   // seat ID -> its ticket's expiry
}

type reservation struct {
	room    *room
	ip      string // the address the match came from: its seats count against MaxSeatsPerIP
	expires time.Time
}

func newSeatBook() seatBook {
	return seatBook{reserved: make(map[string]reservation), used: make(map[string]time.Time)}
}

// sweep frees the reservations that expired unused and forgets used seats
// whose tickets expired; g.mu is held. It runs on every reserve, claim and
// listing, and the fleet lists the rooms about once a second.
func (g *registry) sweep(now time.Time) {
	for seat, rv := range g.book.reserved {
		if now.Before(rv.expires) {
			continue
		}
		delete(g.book.reserved, seat)
		if g.rooms[rv.room.name] == rv.room {
			g.unseat(rv)
		}
	}
	for seat, exp := range g.book.used {
		if !now.Before(exp) {
			delete(g.book.used, seat)
		}
	}
}

// unseat gives back the place and the address's seat of an unused
// reservation; g.mu is held.
func (g *registry) unseat(rv reservation) {
	if g.slots[rv.room] > 0 {
		g.slots[rv.room]--
	}
	k := seatKey{rv.room, rv.ip}
	if g.seats[k] <= 1 {
		delete(g.seats, k)
	} else {
		g.seats[k]--
	}
}

func (g *registry) reserve(name, ip string, now time.Time, hold time.Duration) (Reservation, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.closed:
		return Reservation{}, errShuttingDown
	case g.draining:
		return Reservation{}, ErrDraining
	}
	g.sweep(now)
	var r *room
	if name != "" {
		r = g.rooms[name]
	} else {
		name = g.freeArenaName()
	}
	if r == nil {
		if len(g.rooms) >= g.cfg.MaxRooms {
			return Reservation{}, fmt.Errorf("%w: %d rooms running", errNoRoom, g.cfg.MaxRooms)
		}
		r = g.create(name, "")
	}
	if g.slots[r] >= g.cfg.RoomCapacity {
		return Reservation{}, fmt.Errorf("%w: %s has %d players", errRoomFull, name, g.cfg.RoomCapacity)
	}
	if g.seats[seatKey{r, ip}] >= g.cfg.MaxSeatsPerIP {
		return Reservation{}, &addressLimitError{limitSeatsPerIP, fmt.Sprintf("%s already holds %d seats in room %s", ip, g.cfg.MaxSeatsPerIP, r.name)}
	}
	g.slots[r]++
	g.seats[seatKey{r, ip}]++
	rv := Reservation{Room: r.name, Capacity: g.cfg.RoomCapacity, Seat: newToken(), Expires: now.Add(hold)}
	g.book.reserved[rv.Seat] = reservation{room: r, ip: ip, expires: rv.Expires}
	return rv, nil
}

// claim turns the reservation of seatID into the place of a player with token
// from ip. A seat is good for one claim.
func (g *registry) claim(seatID, token, ip string, now time.Time) (*room, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, errShuttingDown
	}
	g.sweep(now)
	if _, ok := g.book.used[seatID]; ok {
		return nil, fmt.Errorf("%w: its seat was taken by an earlier hello", errTicketUsed)
	}
	rv, ok := g.book.reserved[seatID]
	if !ok || g.rooms[rv.room.name] != rv.room {
		return nil, fmt.Errorf("%w: this server holds no such seat (its room closed, or the server restarted)", errTicketWrongServer)
	}
	r := rv.room
	delete(g.book.reserved, seatID)
	// The seat moves from the address that matched to the one that joins,
	// mostly the same.
	g.unseat(rv)
	if g.seats[seatKey{r, ip}] >= g.cfg.MaxSeatsPerIP {
		return nil, &addressLimitError{limitSeatsPerIP, fmt.Sprintf("%s already holds %d seats in room %s", ip, g.cfg.MaxSeatsPerIP, r.name)}
	}
	g.slots[r]++
	g.book.used[seatID] = rv.expires
	g.seats[seatKey{r, ip}]++
	g.tokens[token] = seat{r, ip}
	return r, nil
}

// list is every open room with its seats taken, reservations included.
func (g *registry) list(now time.Time) []RoomInfo {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweep(now)
	out := make([]RoomInfo, 0, len(g.rooms))
	for name, r := range g.rooms {
		out = append(out, RoomInfo{Name: name, Players: g.slots[r], Capacity: g.cfg.RoomCapacity, Public: r.public})
	}
	return out
}

// seatsTaken counts the places held in every room: players, joins on their
// way and reserved seats.
func (g *registry) seatsTaken() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweep(time.Now())
	n := 0
	for _, k := range g.slots {
		n += k
	}
	return n
}

func (g *registry) setArenaPrefix(p string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.arena = p
}

func (g *registry) setDraining() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.draining = true
}

func (g *registry) isDraining() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.draining
}
