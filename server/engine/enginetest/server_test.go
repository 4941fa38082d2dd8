package enginetest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/server/engine"
)

func TestServerServesAndCloses(t *testing.T) {
	cfg := engine.DefaultConfig()
	cfg.WebDir = t.TempDir()
	s := NewServer(t, cfg)
	assert.Equal(t, "ws://"+s.Addr+"/ws", s.URL)

	resp, err := http.Get("http://" + s.Addr + "/healthz")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	c, err := transport.Dial(context.Background(), s.URL, transport.Options{})
	require.NoError(t, err)
	hello, err := netcode.Append(nil, &netcode.Hello{Version: netcode.ProtocolVersion, Name: "ann"})
	require.NoError(t, err)
	require.NoError(t, c.Write(hello))
	var msg []byte
	select {
	case msg = <-c.Messages():
	case <-time.After(StopTimeout):
		require.FailNow(t, "no welcome")
	}
	kind, err := netcode.PeekKind(msg)
	require.NoError(t, err)
	assert.Equal(t, netcode.KindWelcome, kind)

	s.Close()
	select {
	case <-c.Done():
	case <-time.After(StopTimeout):
		require.FailNow(t, "not closed by the shutdown")
	}
	var ce *transport.CloseError
	require.ErrorAs(t, c.Err(), &ce)
	assert.Equal(t, netcode.CloseGoingAway, ce.Code, "Close is a shutdown: clients get 1001")
	s.Close() // idempotent
}
