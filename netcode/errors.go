package netcode

import "errors"

// Sentinel errors of the codec and of Apply. Decoders wrap them with detail, so
// test with errors.Is; CloseCode turns them into a WebSocket close code.
var (
	// ErrMalformed: not msgpack, truncated, trailing bytes, the wrong shape or
	// type, or a length over its cap.
	ErrMalformed = errors.New("netcode: malformed message")
	// ErrUnknownKind: a message kind the receiver does not take.
	ErrUnknownKind = errors.New("netcode: unknown message kind")
	// ErrInvalidValue: well formed, but NaN, infinite or out of range.
	ErrInvalidValue = errors.New("netcode: invalid value")
	// ErrBaseline: a delta that does not fit the base it is applied to.
	ErrBaseline = errors.New("netcode: delta does not fit its baseline")
)

// CloseCode maps an error from this package to the close code a server sends
// for it: CloseUnknownKind, CloseInvalidValue, or CloseBadMessage for anything
// else (malformed frames, bad deltas, errors from elsewhere). A nil error maps
// to CloseNormal.
func CloseCode(err error) uint16 {
	switch {
	case err == nil:
		return CloseNormal
	case errors.Is(err, ErrUnknownKind):
		return CloseUnknownKind
	case errors.Is(err, ErrInvalidValue):
		return CloseInvalidValue
	default:
		return CloseBadMessage
	}
}
