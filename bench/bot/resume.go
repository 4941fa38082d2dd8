package bot

// Resume makes Connect resume the session of token (from another bot's
// Token) instead of joining as a new player. Call it before Connect.
func (b *Bot) Resume(token string) { b.token = token }

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
	if b.finish() && b.conn != nil {
		b.conn.Abort() // the read loop ends with the error and closes done
	}
}
