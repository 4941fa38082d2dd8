package fleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/skirmish-game/skirmish/server/engine"
)

// NATS subjects. The version in them lets a later fleet protocol run beside
// this one during an upgrade.
const (
	subjectAnnounce   = "skirmish.fleet.v1.announce"
	subjectSeatPrefix = "skirmish.fleet.v1.seat."
)

// idBytes of crypto/rand make a server ID: 16 hex characters, new every
// process, so a restarted server's old tickets name a server that is gone.
const idBytes = 8

// NATS client settings: reconnect for ever, soon, so that losing one node
// of a cluster costs a server a moment, not its place in the fleet.
const (
	natsReconnectWait = 250 * time.Millisecond
	natsConnectWait   = 2 * time.Second
	flushTimeout      = time.Second
)

// Host is what the fleet needs of its server; *engine.Server is one.
type Host interface {
	Rooms() []engine.RoomInfo
	Reserve(room, ip string, hold time.Duration) (engine.Reservation, error)
	Draining() bool
	ClientIP(r *http.Request) string // the address per-address limits count
	OriginAllowed(r *http.Request) bool
}

// Node is one server's membership of the fleet: it announces the server,
// keeps the directory, reserves seats for other servers' matches and serves
// /match and /rooms. Make it with New, run it with Run.
type Node struct {
	cfg      Config
	id       string
	url      string // announced: PublicURL, or one made from the listen address
	host     Host
	log      *slog.Logger
	tickets  *Tickets
	dir      *Directory
	limits   *addrLimiter
	m        *metrics
	nc       *nats.Conn     // nil: standalone
	embedded *server.Server // nil unless NATSEmbed

	// privMu makes a private room's making and its marking one step, so
	// that an announcement between them cannot list it or forget its mark.
	privMu  sync.Mutex
	private map[string]bool // this server's rooms made by a private match
}

// New makes the fleet node of host, which listens on listenAddr (tls: with
// wss). With cfg.Clustered it starts the embedded NATS node or connects to
// the cluster; Run must then be called to let them go.
func New(cfg Config, host Host, listenAddr string, tls bool, log *slog.Logger) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tickets, err := LoadTickets(cfg.TicketKeyFile)
	if err != nil {
		return nil, err
	}
	n := &Node{
		cfg:     cfg,
		id:      newID(),
		host:    host,
		tickets: tickets,
		dir:     NewDirectory(cfg.PeerTimeout),
		limits:  newAddrLimiter(cfg.MatchRatePerIP, cfg.MatchBurst),
		private: make(map[string]bool),
	}
	n.m = newMetrics(n.dir)
	n.log = log.With("server_id", n.id)
	n.url = cfg.PublicURL
	if n.url == "" && cfg.Clustered() {
		n.url = listenURL(listenAddr, tls)
		n.log.Warn("no -public-url: other servers send players to the listen address", "url", n.url)
	}
	if cfg.TicketKeyFile == "" && cfg.Clustered() {
		n.log.Info("no -ticket-key: this server signs its tickets with a key of its own, which only it can check")
	}
	if err := n.connect(); err != nil {
		return nil, err
	}
	return n, nil
}

// ClusterAddr is the embedded NATS node's cluster address, what other
// nodes' -nats-routes name; "" without one.
func (n *Node) ClusterAddr() string {
	if n.embedded == nil {
		return ""
	}
	return n.embedded.ClusterAddr().String()
}

// ID is this server's ID in the fleet.
func (n *Node) ID() string { return n.id }

// EngineFleet is what the engine needs to take ticketed players and drain.
// Public rooms get names unique in the fleet when it has other servers.
func (n *Node) EngineFleet() engine.Fleet {
	f := engine.Fleet{ServerID: n.id, Tickets: n.tickets, RequireTicket: n.cfg.RequireTicket, DrainTimeout: n.cfg.DrainTimeout}
	if n.cfg.Clustered() {
		f.ArenaPrefix = "arena-" + n.id[:8] + "-"
	}
	return f
}

func (n *Node) connect() error {
	if !n.cfg.Clustered() {
		return nil
	}
	opts := []nats.Option{
		nats.Name("skirmish " + n.id),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(natsReconnectWait),
		nats.Timeout(natsConnectWait),
		nats.RetryOnFailedConnect(true),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil { // nil: our own Close
				n.log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { n.log.Info("nats reconnected", "url", c.ConnectedUrlRedacted()) }),
	}
	urls := strings.Join(n.cfg.NATSURLs, ",")
	if n.cfg.NATSEmbed {
		s, err := StartEmbedded(EmbedConfig{Name: "skirmish-" + n.id, Listen: n.cfg.NATSListen, Routes: n.cfg.NATSRoutes})
		if err != nil {
			return err
		}
		n.embedded = s
		opts = append(opts, nats.InProcessServer(s))
		n.log.Info("embedded nats node", "cluster", s.ClusterAddr().String(), "routes", n.cfg.NATSRoutes)
	}
	nc, err := nats.Connect(urls, opts...)
	if err != nil {
		n.stopEmbedded()
		return fmt.Errorf("fleet: nats: %w", err)
	}
	n.nc = nc
	if _, err := nc.Subscribe(subjectAnnounce, n.onAnnounce); err != nil {
		n.close()
		return fmt.Errorf("fleet: subscribe: %w", err)
	}
	if _, err := nc.Subscribe(subjectSeatPrefix+n.id, n.onSeatRequest); err != nil {
		n.close()
		return fmt.Errorf("fleet: subscribe: %w", err)
	}
	return nil
}

// Run announces the server every heartbeat until ctx is done, then tells
// the fleet it is gone and lets NATS go.
func (n *Node) Run(ctx context.Context) error {
	defer n.close()
	t := time.NewTicker(n.cfg.Heartbeat)
	defer t.Stop()
	for {
		n.announce(false)
		select {
		case <-ctx.Done():
			n.announce(true)
			return nil
		case <-t.C:
		}
	}
}

func (n *Node) close() {
	if n.nc != nil {
		if err := n.nc.FlushTimeout(flushTimeout); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
			n.log.Debug("nats flush", "err", err)
		}
		n.nc.Close()
	}
	n.stopEmbedded()
}

func (n *Node) stopEmbedded() {
	if n.embedded != nil {
		n.embedded.Shutdown()
		n.embedded.WaitForShutdown()
	}
}

// self is this server's announcement now.
func (n *Node) self() Announcement {
	n.privMu.Lock()
	defer n.privMu.Unlock()
	rooms := n.host.Rooms()
	a := Announcement{ID: n.id, URL: n.url, Region: n.cfg.Region, Draining: n.host.Draining(), Rooms: make([]RoomEntry, len(rooms))}
	open := make(map[string]bool, len(rooms))
	for i, r := range rooms {
		a.Rooms[i] = RoomEntry{Name: r.Name, Players: r.Players, Capacity: r.Capacity, Public: r.Public, Private: n.private[r.Name]}
		a.Players += r.Players
		open[r.Name] = true
	}
	// A closed room's name is free again: a later room of that name is
	// private only if a private match makes it.
	for name := range n.private {
		if !open[name] {
			delete(n.private, name)
		}
	}
	return a
}

func (n *Node) announce(gone bool) {
	a := n.self()
	a.Gone = gone
	n.dir.Put(a, time.Now())
	if n.nc == nil {
		return
	}
	data, err := json.Marshal(a)
	if err != nil {
		n.log.Error("encode announcement", "err", err)
		return
	}
	if err := n.nc.Publish(subjectAnnounce, data); err != nil {
		n.log.Debug("publish announcement", "err", err)
	}
}

func (n *Node) onAnnounce(m *nats.Msg) {
	a, err := decodeAnnouncement(m.Data)
	if err != nil {
		n.m.dropped.Inc()
		n.log.Debug("announcement dropped", "err", err)
		return
	}
	if a.ID != n.id {
		n.dir.Put(a, time.Now())
	}
}

// seatRequest asks the server that holds (or is to make) a room for a seat
// in it; an empty Room asks for a new public room. IP is the address the
// match came from, whose seats in a room are limited. Private marks the
// room private if this request makes it.
type seatRequest struct {
	Room    string `json:"room"`
	IP      string `json:"ip"`
	Private bool   `json:"private,omitempty"`
}

// seatReply answers a seatRequest: a seat and its ticket, or an error.
type seatReply struct {
	Room     string    `json:"room,omitempty"`
	Capacity int       `json:"capacity,omitempty"`
	Ticket   string    `json:"ticket,omitempty"`
	Expires  time.Time `json:"expires,omitzero"`
	URL      string    `json:"url,omitempty"` // "": the owner has no URL; the asker uses what it knows
	Error    string    `json:"error,omitempty"`
}

func (n *Node) onSeatRequest(m *nats.Msg) {
	var rep seatReply
	req, err := decodeSeatRequest(m.Data)
	if err == nil {
		rep, err = n.reserveHere(req.Room, req.IP, req.Private)
	}
	if err != nil {
		rep = seatReply{Error: err.Error()}
	}
	data, err := json.Marshal(rep)
	if err != nil {
		n.log.Error("encode seat reply", "err", err)
		return
	}
	if err := m.Respond(data); err != nil {
		n.log.Debug("seat reply", "err", err)
	}
}

// reserveHere holds a seat on this server and signs its ticket. With
// private, a room the seat makes is private; a room already open keeps
// what it was, so a private match cannot hide a room others listed.
func (n *Node) reserveHere(room, ip string, private bool) (seatReply, error) {
	rv, err := n.reserve(room, ip, private)
	if err != nil {
		return seatReply{}, err
	}
	ticket, err := n.tickets.Sign(n.id, rv)
	if err != nil {
		return seatReply{}, err
	}
	return seatReply{Room: rv.Room, Capacity: rv.Capacity, Ticket: ticket, Expires: rv.Expires, URL: n.url}, nil
}

func (n *Node) reserve(room, ip string, private bool) (engine.Reservation, error) {
	if !private || room == "" {
		return n.host.Reserve(room, ip, n.cfg.SeatHold)
	}
	n.privMu.Lock()
	defer n.privMu.Unlock()
	existed := slices.ContainsFunc(n.host.Rooms(), func(r engine.RoomInfo) bool { return r.Name == room })
	rv, err := n.host.Reserve(room, ip, n.cfg.SeatHold)
	if err == nil && !existed {
		n.private[rv.Room] = true
	}
	return rv, err
}

// reserveOn holds a seat on server id for a match from ip: here, or over
// NATS request/reply.
func (n *Node) reserveOn(ctx context.Context, id, room, ip string, private bool) (seatReply, error) {
	if id == n.id {
		return n.reserveHere(room, ip, private)
	}
	if n.nc == nil {
		return seatReply{}, fmt.Errorf("fleet: server %s is not reachable without nats", id)
	}
	data, err := json.Marshal(seatRequest{Room: room, IP: ip, Private: private})
	if err != nil {
		return seatReply{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, n.cfg.RequestTimeout)
	defer cancel()
	msg, err := n.nc.RequestWithContext(ctx, subjectSeatPrefix+id, data)
	if err != nil {
		return seatReply{}, fmt.Errorf("fleet: seat request to %s: %w", id, err)
	}
	rep, err := decodeSeatReply(msg.Data)
	if err != nil {
		return seatReply{}, err
	}
	if rep.Error != "" {
		return seatReply{}, fmt.Errorf("fleet: server %s: %s", id, rep.Error)
	}
	return rep, nil
}

func newID() string {
	var b [idBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// listenURL is the ws:// URL of a listen address, an unspecified host read
// as loopback: right on one machine, and what -public-url is for elsewhere.
func listenURL(addr string, tls bool) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	scheme := "ws"
	if tls {
		scheme = "wss"
	}
	return scheme + "://" + net.JoinHostPort(host, port) + "/ws"
}

// Wire makes srv the fleet member n stands for, as every server of a fleet
// is wired: the engine takes n's tickets and drain settings, /metrics shows
// n's collectors and the game port serves GET /rooms and POST /match. Call
// it before srv.Serve.
func Wire(srv *engine.Server, n *Node) error {
	if err := srv.JoinFleet(n.EngineFleet()); err != nil {
		return err
	}
	if err := srv.RegisterMetrics(n.Collectors()...); err != nil {
		return err
	}
	h := n.Handler()
	srv.HandleGame("GET /rooms", h)
	srv.HandleGame("POST /match", h)
	return nil
}
