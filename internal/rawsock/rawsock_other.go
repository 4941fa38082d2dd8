//go:build !linux

package rawsock

import (
	"errors"
	"syscall"
)

// Supported says WriteNow does not work here: callers write through a
// goroutine that may wait for the socket.
const Supported = false

// WriteNow fails: writes that do not wait are not supported on this system.
func WriteNow(syscall.RawConn, []byte) (int, error) {
	return 0, errors.New("rawsock: writes that do not wait are not supported on this system")
}
