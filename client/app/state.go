package app

import (
	"time"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/match"
	"github.com/skirmish-game/skirmish/client/render"
	"github.com/skirmish-game/skirmish/game"
)

// netState is where the connection stands, as the overlay shows it.
type netState uint8

const (
	netIdle       netState = iota // the connect screen: no link yet
	netConnecting                 // dialing, or waiting for the welcome
	netJoined                     // welcomed; snapshots flow
	netLost                       // dropped; retrying after a wait
	netRejected                   // refused; waits for Enter
)

// netStatus is what the overlay says about the connection.
type netStatus struct {
	state   netState
	attempt int
	retryAt time.Time
	err     error
	joined  bool // welcomed at least once

	loss   error     // why the connection of the game in progress ended
	lostAt time.Time // and when
	// rejoined is the notice for the next welcome, after a session that
	// could not be resumed; notice is shown until noticeUntil.
	rejoined    string
	notice      string
	noticeUntil time.Time

	url    string // the server dialled last (the matchmaker may send the client anywhere)
	moving string // why the client is moving to another server, until it is welcomed there
}

// session is the network's side of the game, which the arena scenes share:
// the link, the match it joined, where the connection stands and how much
// it carries. The Game's Update changes it from the link's events; scenes
// read it and send through the link.
type session struct {
	link     *link.Link
	match    *match.Match // nil until the first welcome
	net      netStatus
	lastSeq  uint32 // of the previous match, so a resumed one numbers on
	down, up *rateMeter
}

// worldSize is the arena's size: the server's once welcomed.
func (s *session) worldSize() game.Vec {
	if s.match != nil {
		return s.match.WorldSize()
	}
	return game.Vec{X: game.DefaultWorldSize, Y: game.DefaultWorldSize}
}

// view is how the arena is looked at: the camera, its shake and the screen.
// Layout sets the size, effects raise the shake and Update lets it fade, and
// only Draw's first step (Game.step) moves the camera; the rest reads it.
type view struct {
	cam   render.Camera
	shake float64 // 0..1
	flash float64 // 0..1: the red of being hit
	w, h  int     // screen pixels
	scale float64 // device pixels per logical pixel
}
