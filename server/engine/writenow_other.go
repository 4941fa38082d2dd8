//go:build !linux

package engine

import (
	"errors"
	"syscall"
)

// canWriteNow says writeNow does not work here: every write waits for the
// socket, on the outbox's writer goroutine.
const canWriteNow = false

func writeNow(syscall.RawConn, []byte) (int, error) {
	return 0, errors.New("writes that do not wait are not supported on this system")
}
