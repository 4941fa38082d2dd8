package bot

// Resume makes Connect resume the session of token (from another bot's
// Token) on the server at url (that bot's URL; "": Config.URL) instead of
// joining as a new player. Call it before Connect.
func (b *Bot) Resume(token, url string) { b.token, b.url = token, url }

// URL is the server the bot dialled (once Connect has been called).
func (b *Bot) URL() string { return b.url }

// DrainingPrefix starts the close reason of a server that drains
// (engine.DrainReason): its players should match again elsewhere.
const DrainingPrefix = "draining"

// Ending is how a bot's session ended.
type Ending uint32

const (
	// EndedByBench: the bench closed or dropped it, it failed to connect, or
	// it is still open.
	EndedByBench Ending = iota
	// EndedLost: the server closed it, or the connection broke.
	EndedLost
	// EndedDrained: its server drained (1001 "draining...") with
	// Config.Match set: the bot should be seated elsewhere.
	EndedDrained
)

// Ending says how the session ended; read it once Done is closed.
func (b *Bot) Ending() Ending { return Ending(b.ending.Load()) }

// Token is the session token of the bot's Welcome. It is set once Connect
// has returned nil: the read loop writes the Welcome before Connect returns.
func (b *Bot) Token() string { return b.welcome.Token }

// Resumed reports whether the server resumed an existing player for this
// bot. Like Token, read it after Connect returned nil.
func (b *Bot) Resumed() bool { return b.welcome.Resumed }

// Drop cuts the connection without a close frame, as a lost network does,
// so the server keeps the player for its resume grace. It counts no error
// and, like Close, does not wait; see Done.
func (b *Bot) Drop() {
	if b.state.CompareAndSwap(stateIdle, stateDone) {
		close(b.done) // never connected: there is no read loop to close it
		return
	}
	if b.finish() && b.link != nil {
		b.link.abort() // the read loop ends with the error and closes done
	}
}
