package lobby

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

func FuzzDecodeSeat(f *testing.F) {
	f.Add([]byte(`{"url":"ws://127.0.0.1:8080/ws","room":"lobby","ticket":"t","expires":"2026-12-02T03:00:00Z"}`))
	f.Add([]byte(`{"url":"wss://h/ws","room":"","ticket":""}`))
	f.Add([]byte(`{"url":"ws://h/ws","room":"a b"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSeat(data)
		if err != nil {
			return
		}
		require.NoError(t, checkGameURL(s.URL))
		require.NoError(t, netcode.ValidateRoomName(s.Room))
		require.LessOrEqual(t, len(s.Ticket), netcode.MaxTicketLen)
		again, err := json.Marshal(s)
		require.NoError(t, err)
		s2, err := DecodeSeat(again)
		require.NoError(t, err, "what it accepts survives a round trip")
		assert.Equal(t, s.URL, s2.URL)
		assert.Equal(t, s.Ticket, s2.Ticket)
	})
}

func FuzzDecodeFleet(f *testing.F) {
	f.Add([]byte(`{"servers":[{"id":"a","url":"ws://h:1/ws","region":"eu","players":1,"rooms":1}],"rooms":[{"name":"lobby","server":"a","url":"ws://h:1/ws","players":1,"capacity":8,"public":true}]}`))
	f.Add([]byte(`{"servers":null,"rooms":[{"name":"","url":"ws://h/ws"}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := DecodeFleet(data)
		if err != nil {
			return
		}
		require.LessOrEqual(t, len(fl.Servers), MaxServers)
		require.LessOrEqual(t, len(fl.Rooms), MaxRooms)
		for _, r := range fl.Rooms {
			require.NoError(t, netcode.ValidateRoomName(r.Name))
			require.NotEmpty(t, r.Name)
			require.NoError(t, checkGameURL(r.URL))
			require.GreaterOrEqual(t, r.Players, 0)
		}
		for _, s := range fl.Servers {
			require.NoError(t, checkGameURL(s.URL))
		}
	})
}
