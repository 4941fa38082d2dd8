package link

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/netcode"
)

// fakeMatcher hands out the seats the test queues, and records the rooms
// it was asked for.
type fakeMatcher struct {
	seats chan Seat
	fails chan error // a value here fails the next ask
	asked chan string
}

func newFakeMatcher() *fakeMatcher {
	return &fakeMatcher{seats: make(chan Seat, 8), fails: make(chan error, 8), asked: make(chan string, 8)}
}

func (m *fakeMatcher) match(ctx context.Context, room string) (Seat, error) {
	m.asked <- room
	select {
	case err := <-m.fails:
		return Seat{}, err
	default:
	}
	select {
	case s := <-m.seats:
		return s, nil
	case <-ctx.Done():
		return Seat{}, ctx.Err()
	}
}

// closeWithReason is a close frame's code and reason, as the transport
// reports it.
type closeWithReason struct {
	code   uint16
	reason string
}

func (e closeWithReason) Error() string       { return "closed: " + e.reason }
func (e closeWithReason) CloseCode() uint16   { return e.code }
func (e closeWithReason) CloseReason() string { return e.reason }

// seated is a link with a matcher that was sent to server a with ticket
// t-a and welcomed there.
func seated(t *testing.T) (*harness, *fakeMatcher, *fakeConn) {
	m := newFakeMatcher()
	m.seats <- Seat{URL: "ws://a/ws", Room: "duel", Ticket: "t-a"}
	h := start(t, func(c *Config) { c.Match, c.Room = m.match, "duel" })
	assert.Equal(t, "duel", <-m.asked)
	assert.Equal(t, "ws://a/ws", h.event(Dialing).URL)
	c := h.conn()
	assert.Equal(t, "ws://a/ws", c.url)
	hello := h.hello(c)
	assert.Equal(t, "t-a", hello.Ticket, "the seat's ticket in the hello")
	assert.Equal(t, "duel", hello.Room)
	h.welcome(c, "tok-a", false)
	h.event(Joined)
	return h, m, c
}

// A draining server's players are moved at once: a new seat, wherever the
// matchmaker says, a new player there with the new ticket.
func TestDrainingMovesThePlayer(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(h *harness, c *fakeConn)
	}{
		{"error message then close", func(h *harness, c *fakeConn) {
			h.refuse(c, netcode.CloseGoingAway, "draining: server leaving the fleet")
		}},
		{"close frame alone", func(h *harness, c *fakeConn) {
			c.end(closeWithReason{netcode.CloseGoingAway, "draining"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, m, c := seated(t)
			m.seats <- Seat{URL: "ws://b/ws", Room: "duel", Ticket: "t-b"}
			tc.end(h, c)
			ev := h.event(Rematching)
			assert.True(t, Draining(ev.Err), "err %v", ev.Err)
			assert.Equal(t, "duel", <-m.asked, "the room the player chose")
			assert.Equal(t, "ws://b/ws", h.event(Dialing).URL)
			c = h.conn()
			assert.Equal(t, "ws://b/ws", c.url)
			hello := h.hello(c)
			assert.Equal(t, netcode.Hello{Kind: netcode.KindHello, Version: netcode.ProtocolVersion, Name: "ann", Room: "duel", Ticket: "t-b"}, hello,
				"a new player with the new ticket, no token")
		})
	}
}

// A server that died: the resumes cannot reach it, and after RematchAfter
// of them the link asks for a seat elsewhere.
func TestDeadServerMovesThePlayer(t *testing.T) {
	h, m, c := seated(t)
	c.end(errors.New("connection reset"))
	h.event(Lost)
	h.fail <- errors.New("connection refused")
	assert.Equal(t, "ws://a/ws", h.event(Dialing).URL, "a resume first")
	h.event(Lost)
	h.fail <- errors.New("connection refused")
	h.event(Dialing)
	m.seats <- Seat{URL: "ws://b/ws", Room: "duel-2", Ticket: "t-b"}
	ev := h.event(Rematching)
	assert.ErrorIs(t, ev.Err, ErrServerGone)
	<-m.asked
	assert.Equal(t, "ws://b/ws", h.event(Dialing).URL)
	c = h.conn()
	hello := h.hello(c)
	assert.Equal(t, "t-b", hello.Ticket)
	assert.Empty(t, hello.Token)
	h.welcome(c, "tok-b", false)
	h.event(Joined)

	// Resumes stay on the new server and carry no ticket: it was spent.
	c.end(errors.New("blip"))
	h.event(Lost)
	assert.Equal(t, "ws://b/ws", h.event(Dialing).URL)
	hello = h.hello(h.conn())
	assert.Equal(t, "tok-b", hello.Token)
	assert.Empty(t, hello.Ticket)
	select {
	case room := <-m.asked:
		assert.Fail(t, "asked for a seat to resume", "room %q", room)
	default:
	}
}

// A refused ticket before any game asks again, after a backoff wait; a
// matchmaker that cannot seat anyone is retried like an unreachable server.
func TestRefusedTicketAndNoSeat(t *testing.T) {
	m := newFakeMatcher()
	m.fails <- fmt.Errorf("lobby: no server has a seat (503)")
	h := start(t, func(c *Config) { c.Match = m.match })
	lost := h.event(Lost)
	assert.ErrorContains(t, lost.Err, "no seat")
	<-m.asked

	m.seats <- Seat{URL: "ws://a/ws", Ticket: "stale"}
	h.event(Dialing)
	c := h.conn()
	<-m.asked
	h.hello(c)
	h.refuse(c, netcode.CloseTicketExpired, "ticket expired")
	var r *Refusal
	require.ErrorAs(t, h.event(Rematching).Err, &r)
	assert.Equal(t, netcode.CloseTicketExpired, r.Code)

	m.seats <- Seat{URL: "ws://a/ws", Ticket: "fresh"}
	h.event(Dialing)
	assert.Equal(t, "fresh", h.hello(h.conn()).Ticket)
}

// Without a matcher a drain is a shutdown like any other (resume), and a
// server that wants a ticket the client cannot get waits for the player.
func TestWithoutMatcher(t *testing.T) {
	h, c := joined(t)
	h.refuse(c, netcode.CloseGoingAway, "draining")
	h.event(Lost)
	h.event(Dialing)
	c = h.conn()
	assert.Equal(t, "tok-1", h.hello(c).Token)
	h.refuse(c, netcode.CloseTicketRequired, "ticket required")
	h.event(Rejected)
	select {
	case <-h.dials:
		assert.Fail(t, "dialled again after a refusal")
	case <-time.After(20 * time.Millisecond): // longer than every backoff wait
	}
}

// Which room the next seat is asked for: after a drain, the player's own
// choice (quick play stays quick play); after a restart (4006), the room
// the player was in, as its welcome named it.
func TestRoomAskedForAfterwards(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(h *harness, c *fakeConn)
		want string
	}{
		{"drained", func(h *harness, c *fakeConn) { h.refuse(c, netcode.CloseGoingAway, "draining") }, ""},
		{"restarted", func(h *harness, c *fakeConn) {
			c.end(errors.New("reset"))
			h.event(Lost)
			h.event(Dialing)
			c = h.conn()
			h.hello(c)
			h.refuse(c, netcode.CloseResumeFailed, "unknown session")
		}, "r1"}, // the welcome's room
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newFakeMatcher()
			m.seats <- Seat{URL: "ws://a/ws", Room: "r7", Ticket: "t"}
			h := start(t, func(c *Config) { c.Match = m.match })
			assert.Equal(t, "", <-m.asked, "quick play")
			h.event(Dialing)
			c := h.conn()
			h.hello(c)
			h.welcome(c, "tok", false)
			h.event(Joined)
			m.seats <- Seat{URL: "ws://b/ws", Room: "r9", Ticket: "t2"}
			tc.end(h, c)
			select {
			case room := <-m.asked:
				assert.Equal(t, tc.want, room)
			case <-time.After(5 * time.Second):
				require.FailNow(t, "no seat asked for")
			}
		})
	}
}

// A matcher that found no fleet (the server has no matchmaking) seats the
// player directly; an outage then resumes the same player, however long
// the resumes fail, as before matchmaking.
func TestDirectSeatResumes(t *testing.T) {
	m := newFakeMatcher()
	m.seats <- Seat{URL: "ws://old/ws", Direct: true}
	h := start(t, func(c *Config) { c.Match = m.match })
	<-m.asked
	h.event(Dialing)
	c := h.conn()
	h.hello(c)
	h.welcome(c, "tok", false)
	h.event(Joined)
	c.end(errors.New("reset"))
	h.event(Lost)
	for range DefaultRematchAfter + 1 {
		h.fail <- errors.New("connection refused")
		h.event(Dialing)
		h.event(Lost)
	}
	assert.Equal(t, "ws://old/ws", h.event(Dialing).URL)
	assert.Equal(t, "tok", h.hello(h.conn()).Token, "still resuming")
	select {
	case room := <-m.asked:
		assert.Fail(t, "asked for a seat", "room %q", room)
	default:
	}
}
