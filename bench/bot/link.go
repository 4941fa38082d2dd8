package bot

import (
	"errors"
	"time"

	"github.com/skirmish-game/skirmish/client/transport"
)

// errNotWS is returned by dialWS for a URL it does not take: wsLink speaks
// plain ws:// only (a raw write cannot go through TLS), and on Linux only.
var errNotWS = errors.New("bot: not a ws:// URL on Linux")

// events are what a link calls back: each message as it arrives, the end
// of the connection (once), and the error of a write finished in the
// background, after the step that began it returned.
type events struct {
	onMessage  func(msg []byte, at time.Time)
	onClose    func(err error)
	onWriteErr func(err error)
}

// link is a bot's connection. There are two: wsLink, the bots' own gws
// client on a plain TCP socket, which writes a step's messages in one
// non-blocking raw write; and transportLink, client/transport's Conn, for
// what wsLink does not do: a simulated network and wss://.
type link interface {
	// write sends msg, then more unless it is nil, each as one binary
	// message, in order. msg and more are the caller's again on return.
	write(msg, more []byte) error
	// busy reports a write the socket did not take at once still being
	// finished; the next is not started before it is done.
	busy() bool
	close() // the closing handshake (1000), as transport.Conn.Close
	abort() // drop the TCP connection without a close frame
}

// transportLink writes through client/transport, synchronously on the
// caller's goroutine.
type transportLink struct{ c *transport.Conn }

func (l transportLink) write(msg, more []byte) error {
	if err := l.c.Write(msg); err != nil || more == nil {
		return err
	}
	return l.c.Write(more)
}

func (l transportLink) busy() bool { return false }
func (l transportLink) close()     { _ = l.c.Close() } // a failed close write is the same as a close
func (l transportLink) abort()     { l.c.Abort() }
