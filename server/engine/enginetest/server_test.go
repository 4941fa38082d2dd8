package enginetest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
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

func TestLogBufferTakesConcurrentWriters(t *testing.T) {
	var b LogBuffer
	done := make(chan struct{})
	for i := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			b.Printf("line %d", i)
		}()
	}
	for range 4 {
		<-done
	}
	_, err := b.Write([]byte("raw\n"))
	require.NoError(t, err)
	got := b.String()
	for i := range 4 {
		assert.Contains(t, got, fmt.Sprintf("line %d\n", i))
	}
	assert.True(t, strings.HasSuffix(got, "raw\n"), "writes append in order")
}
