package fleet

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/server/engine"
)

// Every decoder of what comes from the network (NATS peers, HTTP bodies,
// hellos' tickets): no panic, an error of its own kind, and what it accepts
// is within its limits.

func FuzzDecodeAnnouncement(f *testing.F) {
	f.Add([]byte(`{"id":"a1","url":"ws://127.0.0.1:8080/ws","region":"eu","players":3,"draining":false,"rooms":[{"name":"arena-1","players":3,"capacity":100,"public":true}]}`))
	f.Add([]byte(`{"id":"a1","gone":true,"rooms":null}`))
	f.Add([]byte(`{"id":"","rooms":[{"name":"bad room","players":-1,"capacity":0}]}`))
	f.Add([]byte(`{"id":"x","url":"http://evil/","rooms":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := decodeAnnouncement(data)
		if err != nil {
			require.ErrorIs(t, err, errBadAnnouncement)
			return
		}
		assert.NotEmpty(t, a.ID)
		assert.LessOrEqual(t, len(a.ID), maxIDLen)
		assert.LessOrEqual(t, len(a.Rooms), maxAnnouncedRooms)
		for _, r := range a.Rooms {
			assert.NotEmpty(t, r.Name)
			assert.GreaterOrEqual(t, r.Players, 0)
			assert.Positive(t, r.Capacity)
		}
	})
}

func FuzzDecodeMatchRequest(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"room":"lobby","region":"eu","mode":"arena"}`, `{"room":"a b"}`, `{"mode":"ctf"}`, `null`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := decodeMatchRequest(data)
		if err != nil {
			require.ErrorIs(t, err, errBadMatch)
			return
		}
		assert.LessOrEqual(t, len(req.Region), MaxRegionLen)
		assert.Contains(t, []string{"", ModeArena}, req.Mode)
	})
}

func FuzzDecodeSeatMessages(f *testing.F) {
	good, err := json.Marshal(seatReply{Room: "r", Capacity: 4, Ticket: "a.b.c", Expires: time.Unix(1e9, 0), URL: "ws://h/ws"})
	require.NoError(f, err)
	for _, s := range []string{string(good), `{"room":""}`, `{"room":"lobby"}`, `{"error":"engine: room full"}`, `{"room":"r","ticket":"t","expires":"x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := decodeSeatRequest(data); err != nil {
			require.ErrorIs(t, err, errBadSeat)
		}
		rep, err := decodeSeatReply(data)
		if err != nil {
			require.ErrorIs(t, err, errBadSeat)
			return
		}
		if rep.Error == "" {
			assert.NotEmpty(t, rep.Room)
			assert.NotEmpty(t, rep.Ticket)
		}
	})
}

func FuzzVerifyTicket(f *testing.F) {
	tk, err := NewTickets(make([]byte, MinTicketKeyBytes))
	require.NoError(f, err)
	now := time.Unix(2e9, 0)
	valid, err := tk.Sign("srv", engine.Reservation{Room: "r", Seat: "s", Expires: now.Add(time.Minute)})
	require.NoError(f, err)
	for _, s := range []string{valid, "", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzcnYiOiJzIn0.", valid + "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ticket string) {
		c, err := tk.verify(ticket, now)
		if err != nil {
			if !errors.Is(err, engine.ErrTicketInvalid) && !errors.Is(err, engine.ErrTicketExpired) {
				t.Fatalf("error of no ticket kind: %v", err)
			}
			return
		}
		assert.NotEmpty(t, c.Seat)
		assert.NotEmpty(t, c.Server)
		assert.True(t, now.Before(c.Expires))
	})
}
