package app

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"

	"github.com/skirmish-game/skirmish/client/lobby"
)

// maxListed bounds the rooms the lobby keeps and shows, whatever the fleet
// lists: the rest are reached by name (or quick play).
const maxListed = 200

// roomList is the lobby's pick of a room: quick play first, then the
// fleet's public rooms, fullest first, then the named rooms that have
// players, so that friends can pick the name they share; one selected. It
// is pure: the lobby scene reads keys and clicks into it and draws it.
type roomList struct {
	rooms   []lobby.Room // public rooms, then named ones, sorted; row i+1 is rooms[i]
	where   []string     // where rooms[i] is, for the player: region and host
	servers int
	players int
	sel     int // 0 is quick play
	loaded  bool
	status  string // why there is no list, or "" when there is one
}

// set takes a fresh listing, keeping the selected room selected when it is
// still listed.
func (l *roomList) set(f lobby.Fleet) {
	picked := l.selected()
	l.rooms = l.rooms[:0]
	for _, r := range f.Rooms {
		// An empty named room is on its way out (or a seat not yet taken):
		// nobody to play with there.
		if r.Public || r.Players > 0 {
			l.rooms = append(l.rooms, r)
		}
	}
	slices.SortFunc(l.rooms, func(a, b lobby.Room) int {
		return cmp.Or(-cmp.Compare(boolInt(a.Public), boolInt(b.Public)), cmp.Compare(b.Players, a.Players), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Server, b.Server))
	})
	l.rooms = l.rooms[:min(len(l.rooms), maxListed)]
	region := map[string]string{}
	for _, s := range f.Servers {
		region[s.ID] = s.Region
	}
	l.where = l.where[:0]
	for _, r := range l.rooms {
		l.where = append(l.where, place(region[r.Server], r.URL))
	}
	l.servers, l.players = 0, 0
	for _, s := range f.Servers {
		if !s.Draining {
			l.servers++
		}
		l.players += s.Players
	}
	l.loaded, l.status = true, ""
	l.sel = 0
	if picked != "" {
		l.selectName(picked)
	}
}

// fail records why the list could not be had; a list already shown stays.
func (l *roomList) fail(status string) {
	l.loaded, l.status = true, status
}

// rows is quick play plus the rooms.
func (l *roomList) rows() int { return 1 + len(l.rooms) }

// move shifts the selection by d rows, staying in the list.
func (l *roomList) move(d int) { l.sel = min(max(l.sel+d, 0), l.rows()-1) }

// pick selects row i, if there is one.
func (l *roomList) pick(i int) {
	if i >= 0 && i < l.rows() {
		l.sel = i
	}
}

// selected is the selected room's name; "" for quick play.
func (l *roomList) selected() string {
	if l.sel <= 0 || l.sel > len(l.rooms) {
		return ""
	}
	return l.rooms[l.sel-1].Name
}

// selectName selects the room named so (quick play for ""); it reports
// whether it is listed.
func (l *roomList) selectName(name string) bool {
	if name == "" {
		l.sel = 0
		return true
	}
	for i, r := range l.rooms {
		if r.Name == name {
			l.sel = i + 1
			return true
		}
	}
	return false
}

// window is the first row and the row count to show in n lines, keeping
// the selection in view.
func (l *roomList) window(n int) (first, count int) {
	count = min(n, l.rows())
	first = min(max(l.sel-count/2, 0), l.rows()-count)
	return first, count
}

// row is row i's columns: name, seats and where.
func (l *roomList) row(i int) (name, seats, where string, full bool) {
	if i == 0 {
		return "Quick play", "", "any room with space", false
	}
	r := l.rooms[i-1]
	seats = fmt.Sprintf("%d/%d", r.Players, r.Capacity)
	if r.Capacity == 0 {
		seats = fmt.Sprint(r.Players)
	}
	name = r.Name
	if !r.Public {
		name += " · named"
	}
	return name, seats, l.where[i-1], r.Full()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// place names a server for the player: its region and its host, which
// read better than the fleet's server IDs.
func place(region, gameURL string) string {
	host := gameURL
	if u, err := url.Parse(gameURL); err == nil {
		host = u.Host
	}
	if region == "" {
		return host
	}
	return region + " · " + host
}

// summary is the line over the list.
func (l *roomList) summary() string {
	switch {
	case !l.loaded:
		return "asking the fleet for its rooms…"
	case l.status != "":
		return l.status
	}
	return fmt.Sprintf("%s · %s · %s", plural(l.servers, "server"), plural(len(l.rooms), "room"), plural(l.players, "player"))
}
