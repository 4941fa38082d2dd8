package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/skirmish-game/skirmish/client/link"
	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/netcode"
)

func TestReason(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		title string
		line  string
	}{
		{"nothing", nil, "Could not join", ""},
		{"refusal", &link.Refusal{Code: netcode.CloseResumeFailed, Text: "unknown or expired session token"},
			"Session expired", "unknown or expired session token (4006)"},
		{"wrapped refusal", fmt.Errorf("x: %w", &link.Refusal{Code: netcode.CloseRoomFull}),
			"Room full", "server closed the connection (4009)"},
		{"dial error", errors.New("transport: dial ws://h/ws: dial tcp 1.2.3.4:80: connect: connection refused"),
			"Could not join", "connection refused"},
		{"browser's network error", &transport.CloseError{Code: 1006}, "Could not join", "the connection dropped"},
		{"long", errors.New(strings.Repeat("x", 200)), "Could not join", strings.Repeat("x", maxReasonLen) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.title, refusalTitle(tc.err))
			assert.Equal(t, tc.line, reason(tc.err))
		})
	}
}
