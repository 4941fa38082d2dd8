package fleettest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
	"github.com/skirmish-game/skirmish/server/fleet"
)

// natsReady bounds the NATS node's start.
const natsReady = 5 * time.Second

// Fleet is a NATS node and the members started on it.
type Fleet struct {
	t       testing.TB
	nats    *server.Server
	KeyFile string // the fleet's ticket key, which every member reads
}

// New starts the fleet's NATS node and writes its ticket key; both go when
// the test ends.
func New(t testing.TB) *Fleet {
	t.Helper()
	// No cluster port: a node that routes advertises its client URL, and a
	// member's NATS client would reconnect there past the cut of Kill.
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoSigs: true, NoLog: true})
	require.NoError(t, err)
	go s.Start()
	require.True(t, s.ReadyForConnections(natsReady), "nats node not ready")
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	key := make([]byte, fleet.MinTicketKeyBytes)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	path := filepath.Join(t.TempDir(), "fleet.key")
	require.NoError(t, os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600))
	return &Fleet{t: t, nats: s, KeyFile: path}
}

// Config is a member's fleet settings on f: its NATS node and ticket key.
// Match limits are lifted, since every request of a test comes from
// 127.0.0.1.
func (f *Fleet) Config() fleet.Config {
	c := fleet.DefaultConfig()
	c.TicketKeyFile = f.KeyFile
	c.MatchRatePerIP, c.MatchBurst = 1e6, 1e6
	return c
}

// Member is one server of the fleet.
type Member struct {
	*engine.Server
	Node  *fleet.Node
	Addr  string // host:port of the game port
	URL   string // ws://Addr/ws
	HTTP  string // http://Addr, where /match and /rooms are
	Admin string // http://host:port of the admin listener

	t      testing.TB
	log    *enginetest.LogBuffer
	game   *cutter
	bus    *cutter // the member's way to the NATS node
	cancel context.CancelFunc
	served chan error
	ran    chan error
	once   sync.Once
}

// Start runs a member with ecfg (its Addr and AdminAddr are ignored) and
// fcfg (its NATS settings are f's); it stops when the test ends.
func (f *Fleet) Start(ecfg engine.Config, fcfg fleet.Config) *Member {
	t := f.t
	t.Helper()
	m := &Member{t: t, log: &enginetest.LogBuffer{}, served: make(chan error, 1), ran: make(chan error, 1)}
	var w io.Writer = m.log
	if os.Getenv(enginetest.LogEnv) != "" {
		w = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))

	var err error
	m.bus, err = newCutter(f.nats.Addr().String())
	require.NoError(t, err)
	fcfg.NATSEmbed, fcfg.NATSRoutes = false, nil
	fcfg.NATSURLs = []string{"nats://" + m.bus.hostPort()}

	ecfg.AdminAddr = "127.0.0.1:0" // the listener below; set, so that /admin/drain is served
	srv, err := engine.New(ecfg, log)
	require.NoError(t, err)
	gameLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	m.game = cut(gameLn)
	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv.ServeAdminOn(adminLn)

	node, err := fleet.New(fcfg, srv, gameLn.Addr().String(), false, log)
	require.NoError(t, err)
	require.NoError(t, fleet.Wire(srv, node))
	m.Server, m.Node, m.Addr = srv, node, gameLn.Addr().String()
	m.URL, m.HTTP, m.Admin = "ws://"+m.Addr+"/ws", "http://"+m.Addr, "http://"+adminLn.Addr().String()

	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	nodeCtx, stopNode := context.WithCancel(context.Background())
	go func() {
		m.served <- srv.Serve(ctx, m.game)
		stopNode() // after the game port, as server/main does
	}()
	go func() { m.ran <- node.Run(nodeCtx) }()
	t.Cleanup(func() {
		m.Close()
		if t.Failed() {
			t.Logf("log of server %s (%s):\n%s", node.ID(), m.Addr, m.log.String())
		}
	})
	return m
}

// Servers is the IDs of the servers m's GET /rooms lists.
func (m *Member) Servers() []string {
	m.t.Helper()
	resp, err := http.Get(m.HTTP + "/rooms")
	require.NoError(m.t, err)
	defer resp.Body.Close()
	require.Equal(m.t, http.StatusOK, resp.StatusCode)
	var rooms struct {
		Servers []struct {
			ID string `json:"id"`
		} `json:"servers"`
	}
	require.NoError(m.t, json.NewDecoder(resp.Body).Decode(&rooms))
	ids := make([]string, len(rooms.Servers))
	for i, s := range rooms.Servers {
		ids[i] = s.ID
	}
	return ids
}

// Drain POSTs /admin/drain to the member's admin listener.
func (m *Member) Drain() {
	m.t.Helper()
	resp, err := http.Post(m.Admin+"/admin/drain", "application/json", nil)
	require.NoError(m.t, err)
	resp.Body.Close()
	require.Equal(m.t, http.StatusAccepted, resp.StatusCode)
}

// Stopped reports whether the member's Serve returned within d: a drained
// server stops by itself.
func (m *Member) Stopped(d time.Duration) bool {
	select {
	case err := <-m.served:
		m.served <- err // for Close
		return true
	case <-time.After(d):
		return false
	}
}

// Kill cuts the member off as a process death would: its listener and
// every connection to its game port end without a close frame, and its
// NATS connection goes, so it falls silent and the fleet forgets it after
// the peer timeout. What is left of it in this process stops with the test.
func (m *Member) Kill() {
	m.game.cut()
	m.bus.cut()
}

// Close stops the member as a clean shutdown does and waits for it.
func (m *Member) Close() {
	m.once.Do(func() {
		m.cancel()
		for name, c := range map[string]chan error{"engine": m.served, "fleet node": m.ran} {
			select {
			case err := <-c:
				if err != nil {
					m.t.Errorf("%s: %v", name, err)
				}
			case <-time.After(enginetest.StopTimeout):
				m.t.Errorf("%s did not stop within %v", name, enginetest.StopTimeout)
			}
		}
		m.bus.Close()
	})
}

// String names the member in test messages.
func (m *Member) String() string { return fmt.Sprintf("server %s at %s", m.Node.ID(), m.Addr) }
