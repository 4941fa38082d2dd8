package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// publicPrefix names the rooms the server makes for players who name none.
const publicPrefix = "arena-"

var (
	errRoomFull     = errors.New("engine: room full")
	errNoRoom       = errors.New("engine: no room available")
	errShuttingDown = errors.New("engine: server shutting down")
)

// addressLimitError is admit refusing a player because of what its address
// already holds; limit is its metric label.
type addressLimitError struct{ limit, text string }

func (e *addressLimitError) Error() string { return "engine: " + e.text }

// seatKey counts the seats one address holds in one room.
type seatKey struct {
	room *room
	ip   string
}

// seat is what a session token holds: a place in a room, taken from an
// address.
type seat struct {
	room *room
	ip   string
}

// registry knows the rooms and the session tokens. Its mutex guards the maps
// and each room's slot count; it is taken on hello, leave and room changes,
// never per message or per tick.
type registry struct {
	cfg     Config
	log     *slog.Logger
	m       *metrics
	onFrame frameHook // likewise
	ctx     context.Context
	wg      sync.WaitGroup

	mu        sync.Mutex
	rooms     map[string]*room
	slots     map[*room]int   // players admitted: members, and joins on their way
	tokens    map[string]seat // session token -> the room its player is in
	seats     map[seatKey]int // slots by the address that took them
	createdBy map[string]int  // open rooms by the address whose hello made them
	roomRate  *ipBuckets      // rooms made per address per minute
	book      seatBook        // seats reserved for tickets (seats.go)
	arena     string          // prefix of the public rooms this server opens
	draining  bool            // no new rooms or seats; tickets reserved before still count
	closed    bool
}

func newRegistry(ctx context.Context, cfg Config, log *slog.Logger, m *metrics) *registry {
	return &registry{
		cfg:       cfg,
		log:       log,
		m:         m,
		ctx:       ctx,
		rooms:     make(map[string]*room),
		slots:     make(map[*room]int),
		tokens:    make(map[string]seat),
		seats:     make(map[seatKey]int),
		createdBy: make(map[string]int),
		roomRate:  newIPBuckets(rate.Limit(float64(cfg.RoomRatePerIP)/60), cfg.RoomRatePerIP),
		book:      newSeatBook(),
		arena:     publicPrefix,
	}
}

// admit reserves a place for a new player with token, from address ip: in
// the room called name, made if need be, or when name is empty in the fullest
// public room with space, or a new one. One address holds at most
// MaxSeatsPerIP seats in a room and MaxRoomsPerIP rooms it made, and makes at
// most RoomRatePerIP rooms a minute, so that no address can fill a room, or
// the server's rooms, that others want.
func (g *registry) admit(name, token, ip string) (*room, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, errShuttingDown
	}
	if g.draining {
		return nil, ErrDraining
	}
	var r *room
	if name != "" {
		r = g.rooms[name]
		if r != nil && g.slots[r] >= g.cfg.RoomCapacity {
			return nil, fmt.Errorf("%w: %s has %d players", errRoomFull, name, g.cfg.RoomCapacity)
		}
		if r != nil && g.seats[seatKey{r, ip}] >= g.cfg.MaxSeatsPerIP {
			return nil, &addressLimitError{limitSeatsPerIP, fmt.Sprintf("%s already holds %d seats in room %s", ip, g.cfg.MaxSeatsPerIP, name)}
		}
	} else {
		r = g.pickPublic(ip)
		if r == nil {
			name = g.freeArenaName()
		}
	}
	if r == nil {
		if len(g.rooms) >= g.cfg.MaxRooms {
			return nil, fmt.Errorf("%w: %d rooms running", errNoRoom, g.cfg.MaxRooms)
		}
		if g.createdBy[ip] >= g.cfg.MaxRoomsPerIP {
			return nil, &addressLimitError{limitRoomsPerIP, fmt.Sprintf("%s has %d rooms open already", ip, g.cfg.MaxRoomsPerIP)}
		}
		if !g.roomRate.allow(ip, time.Now()) {
			return nil, &addressLimitError{limitRoomRatePerIP, fmt.Sprintf("%s opened %d rooms in the last minute", ip, g.cfg.RoomRatePerIP)}
		}
		r = g.create(name, ip)
	}
	g.slots[r]++
	g.seats[seatKey{r, ip}]++
	g.tokens[token] = seat{r, ip}
	return r, nil
}

// pickPublic returns the fullest public room with space for a player from
// ip, so players meet.
func (g *registry) pickPublic(ip string) *room {
	var best *room
	for _, r := range g.rooms {
		n := g.slots[r]
		if r.public && n < g.cfg.RoomCapacity && g.seats[seatKey{r, ip}] < g.cfg.MaxSeatsPerIP && (best == nil || n > g.slots[best]) {
			best = r
		}
	}
	return best
}

func (g *registry) freeArenaName() string {
	for i := 1; ; i++ {
		if name := g.arena + strconv.Itoa(i); g.rooms[name] == nil {
			return name
		}
	}
}

// create makes and starts a room for a hello from ip; g.mu is held.
func (g *registry) create(name, ip string) *room {
	r := newRoom(name, strings.HasPrefix(name, publicPrefix), g, g.cfg.NewSim(g.cfg.TickRate, roomSeed(g.cfg.Seed, name)))
	r.creator = ip
	g.createdBy[ip]++
	g.rooms[name] = r
	g.m.rooms.Inc()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		r.run(g.ctx)
	}()
	r.log.Info("room opened")
	return r
}

// unadmit undoes admit for a join that never reached the room.
func (g *registry) unadmit(r *room, token string) { g.leave(r, token) }

// leave frees a player's place and forgets its token.
func (g *registry) leave(r *room, token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.slots[r] > 0 {
		g.slots[r]--
	}
	if st, ok := g.tokens[token]; ok && st.room == r {
		delete(g.tokens, token)
		k := seatKey{r, st.ip}
		if g.seats[k] <= 1 {
			delete(g.seats, k)
		} else {
			g.seats[k]--
		}
	}
}

// lookup returns the room of a session token, or nil.
func (g *registry) lookup(token string) *room {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.tokens[token].room
}

// retire removes r if no one holds or is taking a place in it; the room's
// goroutine then ends.
func (g *registry) retire(r *room) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.slots[r] > 0 || g.rooms[r.name] != r {
		return false
	}
	g.drop(r)
	return true
}

// remove takes r out at once, with its players' tokens: its state is lost.
func (g *registry) remove(r *room) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.rooms[r.name] != r {
		return
	}
	for token, st := range g.tokens {
		if st.room == r {
			delete(g.tokens, token)
			delete(g.seats, seatKey{r, st.ip})
		}
	}
	g.drop(r)
}

// drop forgets r; g.mu is held.
func (g *registry) drop(r *room) {
	delete(g.rooms, r.name)
	delete(g.slots, r)
	if g.createdBy[r.creator] <= 1 {
		delete(g.createdBy, r.creator)
	} else {
		g.createdBy[r.creator]--
	}
	g.m.rooms.Dec()
}

// stopAll refuses new players, stops every room (their clients get 1001) and
// waits for their goroutines.
func (g *registry) stopAll() {
	g.mu.Lock()
	g.closed = true
	rooms := make([]*room, 0, len(g.rooms))
	for _, r := range g.rooms {
		rooms = append(rooms, r)
	}
	g.mu.Unlock()
	for _, r := range rooms {
		r.stop()
	}
	g.wg.Wait()
	g.mu.Lock()
	for _, r := range rooms {
		if g.rooms[r.name] == r {
			g.drop(r)
		}
	}
	g.mu.Unlock()
}

// stats counts rooms and the players in them (for /healthz).
func (g *registry) stats() (rooms, players int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, r := range g.rooms {
		players += int(r.players.Load())
	}
	return len(g.rooms), players
}
