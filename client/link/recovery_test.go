package link

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/netcode"
)

func TestRecoveryFor(t *testing.T) {
	refused := func(code uint16) error { return &Refusal{Code: code, Text: "why"} }
	for _, tc := range []struct {
		name     string
		err      error
		resuming bool
		want     Recovery
	}{
		{"network drop", errors.New("connection reset by peer"), true, Resume},
		{"server unreachable", errors.New("connection refused"), false, Resume},
		{"silent server", ErrSilent, true, Resume},
		{"no welcome", ErrNoWelcome, false, Resume},
		{"shutting down", refused(netcode.CloseGoingAway), true, Resume},
		{"shutting down, close frame alone", errors.Join(&Refusal{Code: netcode.CloseGoingAway}, errors.New("closed")), true, Resume},
		{"internal error", refused(netcode.CloseInternal), true, Resume},
		{"slow consumer", refused(netcode.CloseSlowConsumer), true, Resume},
		{"too many connections", refused(netcode.CloseTooManyConns), true, Resume},
		{"rate limited", refused(netcode.CloseRateLimited), true, Resume},
		{"hello timeout", refused(netcode.CloseHelloTimeout), false, Resume},
		{"resume failed after a restart", refused(netcode.CloseResumeFailed), true, Rejoin},
		{"resume failed, wrapped", fmt.Errorf("x: %w", refused(netcode.CloseResumeFailed)), true, Rejoin},
		{"resume failed without a token", refused(netcode.CloseResumeFailed), false, Stop},
		{"room full", refused(netcode.CloseRoomFull), true, Stop},
		{"playing elsewhere", refused(netcode.CloseReplaced), true, Stop},
		{"version mismatch", refused(netcode.CloseProtocolError), true, Stop},
		{"bad message", refused(netcode.CloseBadMessage), true, Stop},
		{"unknown kind", refused(netcode.CloseUnknownKind), true, Stop},
		{"invalid value", refused(netcode.CloseInvalidValue), false, Stop},
		{"no hello", refused(netcode.CloseNoHello), false, Stop},
		{"draining", &Refusal{Code: netcode.CloseGoingAway, Text: "draining: this server is leaving the fleet"}, true, Rematch},
		{"draining, close frame alone", errors.Join(&Refusal{Code: netcode.CloseGoingAway, Text: "draining"}, errors.New("closed")), true, Rematch},
		{"draining is only a 1001", &Refusal{Code: netcode.CloseInternal, Text: "draining"}, true, Resume},
		{"ticket invalid", refused(netcode.CloseTicketInvalid), false, Rematch},
		{"ticket expired", refused(netcode.CloseTicketExpired), false, Rematch},
		{"ticket used", refused(netcode.CloseTicketUsed), false, Rematch},
		{"ticket for another server", refused(netcode.CloseTicketWrongServer), false, Rematch},
		{"ticket required", refused(netcode.CloseTicketRequired), false, Rematch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, RecoveryFor(tc.err, tc.resuming))
		})
	}
}
