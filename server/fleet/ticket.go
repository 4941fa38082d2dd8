package fleet

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/skirmish-game/skirmish/netcode"
	"github.com/skirmish-game/skirmish/server/engine"
)

// ticketIssuer is every ticket's "iss": a JWT of another system signed with
// the same key by mistake is still not a seat.
const ticketIssuer = "skirmish"

// Tickets signs and checks seat tickets: JWTs signed with HS256 and the
// fleet key. HS256 and not Ed25519 because the server that reserves a seat
// is the one that signs its ticket and the one that checks it, so a public
// key would have no one to go to; a shared secret also lets any server of
// the fleet check any ticket, and keeps tickets short (a 43-character
// signature against 86), well inside netcode.MaxTicketLen.
type Tickets struct {
	key    []byte
	parser *jwt.Parser
}

// ticketClaims is a ticket's payload.
type ticketClaims struct {
	Server string `json:"srv"`
	Room   string `json:"room"`
	jwt.RegisteredClaims
}

// NewTickets signs with key, at least MinTicketKeyBytes long.
func NewTickets(key []byte) (*Tickets, error) {
	if len(key) < MinTicketKeyBytes {
		return nil, fmt.Errorf("%w: ticket key of %d bytes, at least %d", engine.ErrInvalidConfig, len(key), MinTicketKeyBytes)
	}
	return &Tickets{
		key: bytes.Clone(key),
		// Expiry is checked by Verify itself, after the signature, so that a
		// forged ticket is called forged whatever it claims.
		parser: jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithoutClaimsValidation()),
	}, nil
}

// LoadTickets reads the key from file, or with file "" makes a random one,
// good for this process only. The file's bytes are the key, but for one
// line ending at its end (what `echo` or an editor adds); a text key
// (base64 of random bytes, say) is easiest to handle.
func LoadTickets(file string) (*Tickets, error) {
	if file == "" {
		key := make([]byte, MinTicketKeyBytes)
		_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
		return NewTickets(key)
	}
	key, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("fleet: ticket key: %w", err)
	}
	key = bytes.TrimSuffix(key, []byte("\n"))
	key = bytes.TrimSuffix(key, []byte("\r"))
	return NewTickets(key)
}

// Sign makes the ticket of a seat reserved on server.
func (t *Tickets) Sign(server string, rv engine.Reservation) (string, error) {
	c := ticketClaims{Server: server, Room: rv.Room, RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    ticketIssuer,
		ID:        rv.Seat,
		ExpiresAt: jwt.NewNumericDate(rv.Expires),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", fmt.Errorf("fleet: sign ticket: %w", err)
	}
	if len(s) > netcode.MaxTicketLen {
		return "", fmt.Errorf("fleet: ticket of %d bytes is over %d", len(s), netcode.MaxTicketLen)
	}
	return s, nil
}

// Verify checks a ticket's signature, then its expiry: it is the engine's
// TicketVerifier. Which server and seat it names is the engine's to check.
func (t *Tickets) Verify(ticket string) (engine.TicketClaims, error) {
	return t.verify(ticket, time.Now())
}

func (t *Tickets) verify(ticket string, now time.Time) (engine.TicketClaims, error) {
	var c ticketClaims
	_, err := t.parser.ParseWithClaims(ticket, &c, func(*jwt.Token) (any, error) { return t.key, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return engine.TicketClaims{}, fmt.Errorf("%w: bad signature", engine.ErrTicketInvalid)
	case err != nil:
		return engine.TicketClaims{}, fmt.Errorf("%w: %s", engine.ErrTicketInvalid, shortErr(err))
	case c.Issuer != ticketIssuer || c.ID == "" || c.Server == "" || c.ExpiresAt == nil:
		return engine.TicketClaims{}, fmt.Errorf("%w: not a seat ticket", engine.ErrTicketInvalid)
	case !now.Before(c.ExpiresAt.Time):
		return engine.TicketClaims{}, fmt.Errorf("%w: it expired at %s, match again", engine.ErrTicketExpired, c.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return engine.TicketClaims{Server: c.Server, Room: c.Room, Seat: c.ID, Expires: c.ExpiresAt.Time}, nil
}

// shortErr keeps a parser error's text within what an Error message holds.
func shortErr(err error) string { return netcode.TruncateUTF8(err.Error(), 120) }
