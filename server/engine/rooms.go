package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
)

// publicPrefix names the rooms the server makes for players who name none.
const publicPrefix = "arena-"

var (
	errRoomFull     = errors.New("engine: room full")
	errNoRoom       = errors.New("engine: no room available")
	errShuttingDown = errors.New("engine: server shutting down")
)

// registry knows the rooms and the session tokens. Its mutex guards the maps
// and each room's slot count; it is taken on hello, leave and room changes,
// never per message or per tick.
type registry struct {
	cfg     Config
	log     *slog.Logger
	m       *metrics
	newSim  SimFactory // set before the first room is made (tests swap it)
	onFrame frameHook  // likewise
	ctx     context.Context
	wg      sync.WaitGroup

	mu     sync.Mutex
	rooms  map[string]*room
	slots  map[*room]int    // players admitted: members, and joins on their way
	tokens map[string]*room // session token -> the room its player is in
	closed bool
}

func newRegistry(ctx context.Context, cfg Config, log *slog.Logger, m *metrics) *registry {
	return &registry{
		cfg:    cfg,
		log:    log,
		m:      m,
		newSim: NewWorldSim,
		ctx:    ctx,
		rooms:  make(map[string]*room),
		slots:  make(map[*room]int),
		tokens: make(map[string]*room),
	}
}

// admit reserves a place for a new player with token: in the room called
// name, made if need be, or when name is empty in the fullest public room
// with space, or a new one.
func (g *registry) admit(name, token string) (*room, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil, errShuttingDown
	}
	var r *room
	if name != "" {
		r = g.rooms[name]
		if r != nil && g.slots[r] >= g.cfg.RoomCapacity {
			return nil, fmt.Errorf("%w: %s has %d players", errRoomFull, name, g.cfg.RoomCapacity)
		}
	} else {
		r = g.pickPublic()
		if r == nil {
			name = g.freeArenaName()
		}
	}
	if r == nil {
		if len(g.rooms) >= g.cfg.MaxRooms {
			return nil, fmt.Errorf("%w: %d rooms running", errNoRoom, g.cfg.MaxRooms)
		}
		r = g.create(name)
	}
	g.slots[r]++
	g.tokens[token] = r
	return r, nil
}

// pickPublic returns the fullest public room with space, so players meet.
func (g *registry) pickPublic() *room {
	var best *room
	for _, r := range g.rooms {
		n := g.slots[r]
		if r.public && n < g.cfg.RoomCapacity && (best == nil || n > g.slots[best]) {
			best = r
		}
	}
	return best
}

func (g *registry) freeArenaName() string {
	for i := 1; ; i++ {
		if name := publicPrefix + strconv.Itoa(i); g.rooms[name] == nil {
			return name
		}
	}
}

// create makes and starts a room; g.mu is held.
func (g *registry) create(name string) *room {
	r := newRoom(name, strings.HasPrefix(name, publicPrefix), g, g.newSim(g.cfg.TickRate, roomSeed(g.cfg.Seed, name)))
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
	if g.tokens[token] == r {
		delete(g.tokens, token)
	}
}

// lookup returns the room of a session token, or nil.
func (g *registry) lookup(token string) *room {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.tokens[token]
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
	for token, tr := range g.tokens {
		if tr == r {
			delete(g.tokens, token)
		}
	}
	g.drop(r)
}

// drop forgets r; g.mu is held.
func (g *registry) drop(r *room) {
	delete(g.rooms, r.name)
	delete(g.slots, r)
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
