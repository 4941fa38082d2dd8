package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"

	"github.com/skirmish-game/skirmish/netcode"
)

// HTTP timeouts: how long a client may take to send its request headers (a
// WebSocket upgrade included), and keep an idle HTTP connection open.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 60 * time.Second
)

// readBufferSize is each connection's read buffer: client frames are inputs
// of a few dozen bytes (a larger frame is read past the buffer, not cut).
const readBufferSize = 1024

// Server is the dedicated server: HTTP endpoints, WebSocket sessions and the
// rooms. Make it with New, run it with Serve.
type Server struct {
	cfg       Config
	log       *slog.Logger
	m         *metrics
	start     time.Time // Pong's ServerTime counts from here
	rooms     *registry
	ips       *ipLimiter
	proxies   proxies
	upgrader  *gws.Upgrader
	batchBufs *sync.Pool     // what the connections' batchConns hold (batchconn.go)
	mux       *http.ServeMux // the game port: /ws, the web client, and /metrics and /healthz unless AdminAddr is set
	admin     *http.ServeMux // /metrics and /healthz
	adminLn   net.Listener   // set by ServeAdminOn, else Serve listens on AdminAddr
	gate      atomic.Pointer[gate]
	stopRooms context.CancelFunc
	served    atomic.Bool
	fleet     Fleet         // set by JoinFleet before Serve
	drainOnce sync.Once     // Drain
	drained   chan struct{} // closed when a drain is done: Serve shuts down

	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
	connWG   sync.WaitGroup
}

// New checks cfg and builds a Server that logs to log (nil: nowhere).
func New(cfg Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.resolve()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	roomCtx, stopRooms := context.WithCancel(context.Background())
	s := &Server{
		cfg:       cfg,
		log:       log,
		m:         newMetrics(),
		start:     time.Now(),
		ips:       newIPLimiter(cfg.MaxConnsPerIP, cfg.ConnRatePerIP, cfg.ConnBurstPerIP),
		proxies:   cfg.TrustedProxies,
		stopRooms: stopRooms,
		sessions:  make(map[*session]struct{}),
		drained:   make(chan struct{}),
		batchBufs: newBatchPool(),
	}
	s.rooms = newRegistry(roomCtx, cfg, log, s.m)
	s.upgrader = gws.NewUpgrader(handler{srv: s}, &gws.ServerOption{
		ReadMaxPayloadSize: cfg.MaxFrameBytes,
		ReadBufferSize:     readBufferSize, // gws's default, 4 KiB, is held for each connection's life

		ParallelEnabled:  false, // OnMessage runs in order on the read loop: the room sees inputs in order
		CheckUtf8Enabled: false, // text frames are refused anyway
		Recovery:         s.recoverGWS,
		Logger:           gwsLogger{log},
		NewSession:       func() gws.SessionStorage { return new(sessionSlot) },
	})
	s.admin = http.NewServeMux()
	s.admin.HandleFunc("GET /healthz", s.serveHealth)
	s.admin.Handle("GET /metrics", s.m.handler())
	s.admin.HandleFunc("POST /admin/drain", s.serveDrain) // the admin listener's alone: the game port forwards only the GETs below
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /ws", s.serveWS)
	if cfg.AdminAddr == "" {
		s.mux.Handle("GET /healthz", s.admin)
		s.mux.Handle("GET /metrics", s.admin)
	}
	s.mux.Handle("/", newWebHandler(cfg.WebDir, cfg.StaticWriteTimeout, s.m))
	return s, nil
}

// ServeAdminOn makes Serve serve /metrics and /healthz on ln instead of
// listening on Config.AdminAddr itself (tests pass a listener on port 0).
// Call it before Serve; it needs AdminAddr set.
func (s *Server) ServeAdminOn(ln net.Listener) { s.adminLn = ln }

// AdminHandler routes /metrics and /healthz.
func (s *Server) AdminHandler() http.Handler { return s.admin }

// Handler routes /ws, /healthz, /metrics and the web client at /.
func (s *Server) Handler() http.Handler { return s.mux }

// Serve serves on ln until ctx is done, then shuts down: it stops accepting,
// closes every WebSocket with 1001, stops the rooms and returns nil. It
// returns an error only if ln fails first.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if !s.served.CompareAndSwap(false, true) {
		return errors.New("engine: Serve called twice")
	}
	g := newGate(ln, s.cfg, s.m)
	s.gate.Store(g)
	hs := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
		ConnState:         g.connState,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 2)
	if s.cfg.TLSCert != "" {
		go func() { errc <- hs.ServeTLS(g, s.cfg.TLSCert, s.cfg.TLSKey) }()
	} else {
		go func() { errc <- hs.Serve(g) }()
	}
	var admin *http.Server
	if s.cfg.AdminAddr != "" {
		aln := s.adminLn
		if aln == nil {
			var err error
			if aln, err = net.Listen("tcp", s.cfg.AdminAddr); err != nil {
				errc <- fmt.Errorf("admin listener: %w", err)
			}
		}
		if aln != nil {
			admin = &http.Server{
				Handler:           s.admin,
				ReadHeaderTimeout: readHeaderTimeout,
				IdleTimeout:       idleTimeout,
				MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
				ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
			}
			go func() { errc <- admin.Serve(aln) }()
			s.log.Info("admin endpoints", "addr", aln.Addr().String())
		}
	}
	s.log.Info("serving", "addr", ln.Addr().String(), "tls", s.cfg.TLSCert != "", "tick_rate", s.cfg.TickRate,
		"snapshot_rate", s.cfg.SnapshotRate, "web", s.cfg.WebDir, "max_conns", g.maxConns)
	s.log.Info("rooms, players and scores live in this process's memory only: a restart ends every game, and clients must join again")

	var err error
	reason := "server shutting down"
	select {
	case <-ctx.Done():
	case <-s.drained:
		reason = DrainReason
	case err = <-errc:
		err = fmt.Errorf("engine: serve: %w", err)
	}
	s.shutdown(hs, admin, reason)
	return err
}

// shutdown closes the clients with 1001 and reason, then the rooms.
func (s *Server) shutdown(hs, admin *http.Server, reason string) {
	s.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()

	s.mu.Lock()
	s.closing = true
	conns := make([]*session, 0, len(s.sessions))
	for c := range s.sessions {
		conns = append(conns, c)
	}
	s.mu.Unlock()

	// Hijacked WebSockets are not Shutdown's business: close them ourselves.
	if err := hs.Shutdown(ctx); err != nil {
		s.log.Warn("http shutdown", "err", err)
	}
	if admin != nil {
		defer admin.Close() // last: /healthz answers while the rest shuts down
	}
	for _, c := range conns {
		c.fail(netcode.CloseGoingAway, reason)
	}
	closed := make(chan struct{})
	go func() {
		s.connWG.Wait()
		close(closed)
	}()
	select {
	case <-closed:
	case <-ctx.Done():
		s.log.Warn("connections still open at shutdown timeout")
	}
	s.rooms.stopAll()
	s.stopRooms()
	s.log.Info("stopped")
}

// track registers an open connection for shutdown; false once shutting down.
func (s *Server) track(c *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.sessions[c] = struct{}{}
	s.connWG.Add(1)
	return true
}

func (s *Server) untrack(c *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[c]; ok {
		delete(s.sessions, c)
		s.connWG.Done()
	}
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing {
		http.Error(w, "server shutting down", http.StatusServiceUnavailable)
		return
	}
	if !s.originAllowed(r) {
		s.m.limitHit(limitOrigin)
		http.Error(w, "origin "+r.Header.Get("Origin")+" may not open a game connection here", http.StatusForbidden)
		return
	}
	ip := s.proxies.clientIP(r)
	if !s.ips.rate.allow(ip, time.Now()) {
		s.m.limitHit(limitConnRatePerIP)
		w.Header().Set("Retry-After", "1")
		http.Error(w, fmt.Sprintf("more than %.0f new connections per second from %s", s.cfg.ConnRatePerIP, ip), http.StatusTooManyRequests)
		return
	}
	allowed := s.ips.acquire(ip)
	ws, err := s.upgrader.Upgrade(batchHijacker{w, s.batchBufs}, r) // so the outbox can write a batch of frames at once
	if err != nil {
		s.ips.release(ip)
		s.log.Debug("websocket upgrade failed", "remote", ip, "err", err)
		return
	}
	if s.cfg.SocketSendBuffer > 0 {
		if tc, ok := ws.NetConn().(interface{ SetWriteBuffer(int) error }); ok {
			if err := tc.SetWriteBuffer(s.cfg.SocketSendBuffer); err != nil {
				s.log.Warn("set socket send buffer", "err", err)
			}
		}
	}
	ws.Session().(*sessionSlot).c = newSession(s, ws, ip, !allowed)
	// The read loop gets a goroutine of its own so the HTTP handler returns
	// and net/http lets go of the request.
	go ws.ReadLoop()
}

// originAllowed: a request with no Origin (a native client) may open /ws,
// and so may a page of the server's own origin or one AllowedOrigins lists.
// Browsers send Origin on every WebSocket handshake, so another site's page
// cannot open game connections from its visitors' browsers.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if u, err := url.Parse(origin); err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range s.cfg.AllowedOrigins {
		if o == "*" || strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
	rooms, players := s.rooms.stats()
	w.Header().Set("Content-Type", "application/json")
	err := json.NewEncoder(w).Encode(struct {
		Status   string `json:"status"`
		Rooms    int    `json:"rooms"`
		Players  int    `json:"players"`
		Draining bool   `json:"draining"` // a load balancer may stop sending players
	}{"ok", rooms, players, s.Draining()})
	if err != nil {
		s.log.Debug("write healthz", "err", err)
	}
}

// recoverGWS is gws's Recovery: a backstop that logs a panic gws caught in a
// callback. The engine's callbacks recover their own panics first (and close
// that connection with 1011), because this hook is not told the connection.
func (s *Server) recoverGWS(gws.Logger) {
	if p := recover(); p != nil {
		s.log.Error("panic in websocket callback", "panic", p, "stack", string(debug.Stack()))
	}
}

// gwsLogger sends gws's own log lines to slog.
type gwsLogger struct{ log *slog.Logger }

func (l gwsLogger) Error(v ...any) { l.log.Error(fmt.Sprint(v...), "source", "gws") }
