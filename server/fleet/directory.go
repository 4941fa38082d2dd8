package fleet

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/server/engine"
)

// maxAnnouncedRooms bounds the rooms one announcement may list, so a peer
// cannot make the directory hold more than servers really run.
const maxAnnouncedRooms = 4096

// errBadAnnouncement is wrapped by decodeAnnouncement.
var errBadAnnouncement = errors.New("fleet: bad announcement")

// Announcement is what a server publishes about itself every heartbeat,
// and what /rooms shows of it.
type Announcement struct {
	ID       string      `json:"id"`
	URL      string      `json:"url"` // "": not known (a standalone server answers with the request's Host)
	Region   string      `json:"region"`
	Players  int         `json:"players"`
	Draining bool        `json:"draining"`
	Gone     bool        `json:"gone,omitempty"` // the last one, sent on a clean stop
	Rooms    []RoomEntry `json:"rooms"`
}

// RoomEntry is one room in an Announcement.
type RoomEntry struct {
	Name     string `json:"name"`
	Players  int    `json:"players"` // seats taken, reserved ones included
	Capacity int    `json:"capacity"`
	Public   bool   `json:"public"`
	Private  bool   `json:"private,omitempty"` // made by a private match: never in GET /rooms
}

// decodeAnnouncement parses and checks a peer's announcement: it comes over
// the network and may be anything.
func decodeAnnouncement(data []byte) (Announcement, error) {
	var a Announcement
	if err := json.Unmarshal(data, &a); err != nil {
		return Announcement{}, fmt.Errorf("%w: %w", errBadAnnouncement, err)
	}
	switch {
	case a.ID == "" || len(a.ID) > maxIDLen:
		return Announcement{}, fmt.Errorf("%w: id of %d bytes", errBadAnnouncement, len(a.ID))
	case len(a.Region) > MaxRegionLen:
		return Announcement{}, fmt.Errorf("%w: region of %d bytes", errBadAnnouncement, len(a.Region))
	case a.URL != "" && checkWSURL(a.URL) != nil:
		return Announcement{}, fmt.Errorf("%w: url: %w", errBadAnnouncement, checkWSURL(a.URL))
	case a.Players < 0 || len(a.Rooms) > maxAnnouncedRooms:
		return Announcement{}, fmt.Errorf("%w: %d players, %d rooms", errBadAnnouncement, a.Players, len(a.Rooms))
	}
	for _, r := range a.Rooms {
		if r.Name == "" || netcode.ValidateRoomName(r.Name) != nil || r.Players < 0 || r.Capacity <= 0 || r.Capacity > engine.MaxRoomCapacity {
			return Announcement{}, fmt.Errorf("%w: room %q with %d of %d", errBadAnnouncement, r.Name, r.Players, r.Capacity)
		}
	}
	return a, nil
}

// Directory is this server's view of the fleet: the newest announcement of
// each server heard from within the peer timeout. Its mutex is taken once a
// heartbeat per server and once a match.
type Directory struct {
	timeout time.Duration

	mu      sync.Mutex
	servers map[string]heard
}

type heard struct {
	a    Announcement
	seen time.Time
}

// NewDirectory forgets a server timeout after its last announcement.
func NewDirectory(timeout time.Duration) *Directory {
	return &Directory{timeout: timeout, servers: make(map[string]heard)}
}

// Put records a's announcement, heard at now; a Gone one removes it.
func (d *Directory) Put(a Announcement, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if a.Gone {
		delete(d.servers, a.ID)
		return
	}
	d.servers[a.ID] = heard{a, now}
	d.expire(now)
}

// Forget drops server id from the directory, as a Gone announcement does:
// a seat request found no one there. If it is alive after all, its next
// announcement brings it back.
func (d *Directory) Forget(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.servers, id)
}

// expire forgets the servers silent past the timeout; d.mu is held.
func (d *Directory) expire(now time.Time) {
	for id, h := range d.servers {
		if now.Sub(h.seen) > d.timeout {
			delete(d.servers, id)
		}
	}
}

// Live is every server heard from within the timeout, by ID; the rooms are
// copies the caller may keep.
func (d *Directory) Live(now time.Time) []Announcement {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expire(now)
	out := make([]Announcement, 0, len(d.servers))
	for _, h := range d.servers {
		a := h.a
		a.Rooms = slices.Clone(a.Rooms)
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Announcement) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// NoteSeat counts a seat just reserved in room on server, so that the
// matches before that server's next announcement see it; public and
// private describe the room when it is new.
func (d *Directory) NoteSeat(server, room string, capacity int, public, private bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	h, ok := d.servers[server]
	if !ok {
		return
	}
	h.a.Players++
	h.a.Rooms = slices.Clone(h.a.Rooms)
	i := slices.IndexFunc(h.a.Rooms, func(r RoomEntry) bool { return r.Name == room })
	if i < 0 {
		h.a.Rooms = append(h.a.Rooms, RoomEntry{Name: room, Capacity: capacity, Public: public, Private: private})
		i = len(h.a.Rooms) - 1
	}
	h.a.Rooms[i].Players++
	d.servers[server] = h
}
