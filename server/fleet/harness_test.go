package fleet

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/server/engine"
	"github.com/skirmish-game/skirmish/server/engine/enginetest"
)

// waitFor bounds every wait of these tests.
const waitFor = 5 * time.Second

// member is one fleet server under test: an engine on 127.0.0.1:0 with its
// fleet node, wired as server/main wires them.
type member struct {
	t       *testing.T
	srv     *engine.Server
	node    *Node
	addr    string // host:port of the game port
	log     *enginetest.LogBuffer
	stop    context.CancelFunc
	served  chan error
	nodeRun chan error
	once    sync.Once
}

// startMember starts a server with ecfg and fcfg; it is stopped when the
// test ends if the test has not stopped it.
func startMember(t *testing.T, ecfg engine.Config, fcfg Config) *member {
	t.Helper()
	m := &member{t: t, log: &enginetest.LogBuffer{}, served: make(chan error, 1), nodeRun: make(chan error, 1)}
	var w io.Writer = m.log
	if os.Getenv(enginetest.LogEnv) != "" {
		w = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := engine.New(ecfg, log)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	node, err := New(fcfg, srv, ln.Addr().String(), false, log)
	require.NoError(t, err)
	require.NoError(t, Wire(srv, node))
	m.srv, m.node, m.addr = srv, node, ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	m.stop = cancel
	go func() { m.served <- srv.Serve(ctx, ln) }()
	nodeCtx, stopNode := context.WithCancel(context.Background())
	go func() {
		<-m.served
		stopNode()
	}()
	go func() { m.nodeRun <- node.Run(nodeCtx) }()
	t.Cleanup(func() {
		m.close()
		if t.Failed() {
			t.Logf("log of server %s:\n%s", node.ID(), m.log.String())
		}
	})
	return m
}

// close stops the server at once and waits for it and its node.
func (m *member) close() {
	m.once.Do(func() {
		m.stop()
		select {
		case err := <-m.nodeRun:
			require.NoError(m.t, err)
		case <-time.After(enginetest.StopTimeout):
			m.t.Error("fleet node did not stop")
		}
	})
}

// waitStopped waits for a server that drains to stop by itself.
func (m *member) waitStopped(within time.Duration) {
	m.t.Helper()
	select {
	case err := <-m.nodeRun:
		require.NoError(m.t, err)
		m.once.Do(func() {})
	case <-time.After(within):
		m.t.Fatalf("server %s did not stop within %v", m.node.ID(), within)
	}
}

func (m *member) url() string { return "ws://" + m.addr + "/ws" }

// match POSTs body to /match and decodes the answer into out.
func (m *member) match(body string, out any) int {
	m.t.Helper()
	resp, err := http.Post("http://"+m.addr+"/match", "application/json", bytes.NewBufferString(body))
	require.NoError(m.t, err)
	defer resp.Body.Close()
	require.Equal(m.t, "application/json", resp.Header.Get("Content-Type"))
	require.NoError(m.t, json.NewDecoder(resp.Body).Decode(out))
	return resp.StatusCode
}

// mustMatch is a match that must succeed.
func (m *member) mustMatch(body string) matchResponse {
	m.t.Helper()
	var r matchResponse
	require.Equal(m.t, http.StatusOK, m.match(body, &r), "POST /match %s", body)
	return r
}

func (m *member) rooms() roomsResponse {
	m.t.Helper()
	resp, err := http.Get("http://" + m.addr + "/rooms")
	require.NoError(m.t, err)
	defer resp.Body.Close()
	require.Equal(m.t, http.StatusOK, resp.StatusCode)
	var r roomsResponse
	require.NoError(m.t, json.NewDecoder(resp.Body).Decode(&r))
	return r
}

// roomServer is the server ID that m's /rooms says holds room, or "".
func (m *member) roomServer(room string) string {
	for _, r := range m.rooms().Rooms {
		if r.Name == room {
			return r.Server
		}
	}
	return ""
}

// ticketKey writes a fresh fleet key to a file and returns its path.
func ticketKey(t *testing.T) string {
	key := make([]byte, MinTicketKeyBytes)
	_, _ = rand.Read(key)
	path := filepath.Join(t.TempDir(), "ticket.key")
	// Text, with the line ending a shell would add, as the README makes it.
	require.NoError(t, os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600))
	return path
}

// player is a WebSocket client that says hello and records what it is told.
type player struct {
	t       *testing.T
	conn    *gws.Conn
	welcome chan netcode.Welcome
	errc    chan netcode.Error
	closed  chan *gws.CloseError
	first   sync.Once
}

// dial connects to url and sends a hello for room with ticket.
func dial(t *testing.T, url, room, ticket string) *player {
	t.Helper()
	p := &player{t: t, welcome: make(chan netcode.Welcome, 1), errc: make(chan netcode.Error, 1), closed: make(chan *gws.CloseError, 1)}
	conn, _, err := gws.NewClient(p, &gws.ClientOption{Addr: url})
	require.NoError(t, err)
	p.conn = conn
	go conn.ReadLoop()
	t.Cleanup(func() { _ = conn.WriteClose(netcode.CloseNormal, nil) })
	hello, err := netcode.Append(nil, &netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: "p", Room: room, Ticket: ticket})
	require.NoError(t, err)
	require.NoError(t, conn.WriteMessage(gws.OpcodeBinary, hello))
	return p
}

// joined waits for the welcome and returns its room.
func (p *player) joined() string {
	p.t.Helper()
	select {
	case w := <-p.welcome:
		return w.Room
	case e := <-p.errc:
		p.t.Fatalf("refused: %d %s", e.Code, e.Text)
	case <-time.After(waitFor):
		p.t.Fatal("no welcome")
	}
	return ""
}

// refused waits for the Error and the close, and checks they agree.
func (p *player) refused() (uint16, string) {
	p.t.Helper()
	var e netcode.Error
	select {
	case e = <-p.errc:
	case <-time.After(waitFor):
		p.t.Fatal("no error message")
	}
	select {
	case ce := <-p.closed:
		require.Equal(p.t, e.Code, ce.Code, "the close has the error's code")
		require.Equal(p.t, e.Text, string(ce.Reason), "the close has the error's text")
	case <-time.After(waitFor):
		p.t.Fatal("no close")
	}
	return e.Code, e.Text
}

func (p *player) OnOpen(*gws.Conn)         {}
func (p *player) OnPing(*gws.Conn, []byte) {}
func (p *player) OnPong(*gws.Conn, []byte) {}

func (p *player) OnClose(_ *gws.Conn, err error) {
	var ce *gws.CloseError
	if !errors.As(err, &ce) {
		ce = &gws.CloseError{Code: netcode.CloseAbnormal}
	}
	p.closed <- ce
}

func (p *player) OnMessage(_ *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	data := msg.Bytes()
	kind, err := netcode.PeekKind(data)
	if err != nil {
		return
	}
	switch kind {
	case netcode.KindWelcome:
		var w netcode.Welcome
		if netcode.DecodeWelcome(data, &w) == nil {
			p.first.Do(func() { p.welcome <- w })
		}
	case netcode.KindError:
		var e netcode.Error
		if netcode.DecodeError(data, &e) == nil {
			select {
			case p.errc <- e:
			default:
			}
		}
	}
}
