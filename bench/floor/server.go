package floor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"

	"github.com/skirmish-game/skirmish/game"
	"github.com/skirmish-game/skirmish/netcode"
)

// Server is one floor server: every client is in one room that has no
// world, and gets the same entities every tick.
type Server struct {
	cfg      Config
	log      *slog.Logger
	start    time.Time
	upgrader *gws.Upgrader
	body     []byte // the fixed entities of every snapshot
	entities int
	tick     atomic.Uint32
	board    atomic.Pointer[[]byte] // the newest board message, shared by every writer
	nextID   atomic.Uint32
	// handedOver counts the tick's writes that the socket did not take
	// whole, whose rest went to the client's writer.
	handedOver atomic.Uint64

	mu    sync.Mutex
	conns map[*client]struct{}
}

// New makes a server for cfg.
func New(cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, start: time.Now(), conns: make(map[*client]struct{})}
	s.body, s.entities = entityBody(cfg.SnapshotBytes)
	s.upgrader = gws.NewUpgrader(handler{s}, &gws.ServerOption{
		ReadMaxPayloadSize: cfg.MaxFrameBytes,
		ReadBufferSize:     1024,  // the engine's, so both hold the same per connection
		ParallelEnabled:    false, // inputs in order, as the engine reads them
		CheckUtf8Enabled:   false,
	})
	return s, nil
}

// Entities is how many fixed entities each snapshot carries.
func (s *Server) Entities() int { return s.entities }

// Serve serves /ws on ln until ctx ends, then closes every client with 1001.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", s.serveWS)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ticks := make(chan struct{})
	go func() {
		defer close(ticks)
		s.run(ctx)
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(shutCtx) // WebSockets are hijacked; they are closed below
	s.closeAll()
	<-ticks
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("floor: serve: %w", err)
	}
	return nil
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r)
	if err != nil {
		s.log.Debug("websocket upgrade failed", "err", err)
		return
	}
	if tc, ok := ws.NetConn().(*net.TCPConn); ok && s.cfg.SendBuffer > 0 {
		if err := tc.SetWriteBuffer(s.cfg.SendBuffer); err != nil {
			s.log.Debug("socket send buffer", "err", err)
		}
	}
	go ws.ReadLoop()
}

// run is the tick: it writes every welcomed client its snapshot once per
// tick and renews the board once a second. It does no other work, which is
// the point: what the server costs beyond this is the transport's.
func (s *Server) run(ctx context.Context) {
	ticker := time.NewTicker(time.Second / time.Duration(s.cfg.TickRate))
	defer ticker.Stop()
	var list []*client
	var bufs tickBufs
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		tick := s.tick.Add(1)
		s.mu.Lock()
		list = list[:0]
		for c := range s.conns {
			list = append(list, c)
		}
		players := len(s.conns)
		s.mu.Unlock()
		var board []byte
		if tick%uint32(s.cfg.TickRate) == 0 {
			b, err := appendBoard(nil, players)
			if err != nil {
				s.log.Error("board", "err", err)
			} else {
				s.board.Store(&b)
				board = b
			}
		}
		for _, c := range list {
			c.send(tick, board, &bufs)
		}
		clear(list) // drop references to clients that may leave before the next tick
	}
}

func (s *Server) closeAll() {
	s.mu.Lock()
	list := make([]*client, 0, len(s.conns))
	for c := range s.conns {
		list = append(list, c)
	}
	s.mu.Unlock()
	for _, c := range list {
		c.writeClose(1001, "server shutting down") // the client may be gone already
	}
}

// welcome admits a client: its Welcome goes out before it is listed, so no
// snapshot can overtake it.
func (s *Server) welcome(c *client, h *netcode.Hello) error {
	room := h.Room
	if room == "" {
		room = "floor"
	}
	var tok [16]byte
	_, _ = rand.Read(tok[:]) // crypto/rand never fails on Linux
	w := netcode.Welcome{
		Kind:         netcode.KindWelcome,
		PlayerID:     1<<20 + s.nextID.Add(1), // above every fixed entity's ID
		Room:         room,
		TickRate:     uint16(s.cfg.TickRate),
		SnapshotRate: uint16(s.cfg.TickRate),
		ServerTick:   s.tick.Load(),
		Token:        hex.EncodeToString(tok[:]),
		WorldW:       uint16(game.DefaultWorldSize),
		WorldH:       uint16(game.DefaultWorldSize),
	}
	b, err := netcode.Append(nil, &w)
	if err != nil {
		return fmt.Errorf("floor: welcome: %w", err)
	}
	if err := c.ws.WriteMessage(gws.OpcodeBinary, b); err != nil {
		return fmt.Errorf("floor: welcome: %w", err)
	}
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	return nil
}

func (s *Server) leave(c *client) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}
