package floor

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// closeCatcher is a raw client's event handler: it reports the close code
// the server sent, and the kinds of the messages before it.
type closeCatcher struct {
	gws.BuiltinEventHandler
	kinds  chan netcode.Kind
	closed chan uint16
}

func (h *closeCatcher) OnClose(_ *gws.Conn, err error) {
	var ce *gws.CloseError
	if errors.As(err, &ce) {
		h.closed <- ce.Code
		return
	}
	h.closed <- 0
}

func (h *closeCatcher) OnMessage(_ *gws.Conn, m *gws.Message) {
	defer m.Close()
	k, _ := netcode.PeekKind(m.Bytes()) // 0 for a message that is none
	select {
	case h.kinds <- k:
	default: // snapshots the test does not read
	}
}

func TestRefusals(t *testing.T) {
	mustAppend := func(m any) []byte {
		b, err := netcode.Append(nil, m)
		require.NoError(t, err)
		return b
	}
	hello := mustAppend(&netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: "a"})
	cases := []struct {
		name    string
		op      gws.Opcode
		frames  [][]byte
		welcome bool
		code    uint16
	}{
		{name: "input before hello", op: gws.OpcodeBinary, frames: [][]byte{mustAppend(&netcode.Input{Kind: netcode.KindInput, Seq: 1})}, code: netcode.CloseNoHello},
		{name: "other version", op: gws.OpcodeBinary, frames: [][]byte{mustAppend(&netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion + 1})}, code: netcode.CloseProtocolError},
		{name: "not msgpack", op: gws.OpcodeBinary, frames: [][]byte{{0xc1}}, code: netcode.CloseBadMessage},
		{name: "text frame", op: gws.OpcodeText, frames: [][]byte{[]byte("hi")}, code: netcode.CloseUnsupported},
		{name: "second hello", op: gws.OpcodeBinary, frames: [][]byte{hello, hello}, welcome: true, code: netcode.CloseBadMessage},
		{name: "a kind only servers send", op: gws.OpcodeBinary, frames: [][]byte{hello, mustAppend(&netcode.Pong{Kind: netcode.KindPong})}, welcome: true, code: netcode.CloseUnknownKind},
	}

	_, url := serve(t, slog.New(slog.DiscardHandler))

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := &closeCatcher{kinds: make(chan netcode.Kind, 1), closed: make(chan uint16, 1)}
			ws, _, err := gws.NewClient(h, &gws.ClientOption{Addr: url})
			require.NoError(t, err)
			go ws.ReadLoop()
			t.Cleanup(func() { _ = ws.NetConn().Close() })
			for _, f := range tc.frames {
				op := tc.op
				if len(tc.frames) > 1 {
					op = gws.OpcodeBinary
				}
				require.NoError(t, ws.WriteMessage(op, f))
			}
			timeout := time.After(5 * time.Second)
			if tc.welcome {
				select {
				case k := <-h.kinds:
					assert.Equal(t, netcode.KindWelcome, k, "the first message")
				case <-timeout:
					t.Fatal("no welcome")
				}
			}
			select {
			case code := <-h.closed:
				assert.Equal(t, tc.code, code)
			case <-timeout:
				t.Fatal("not closed")
			}
		})
	}
}
