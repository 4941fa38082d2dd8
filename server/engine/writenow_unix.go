//go:build unix

package engine

import "syscall"

// canWriteNow says writeNow works here.
const canWriteNow = true

// writeNow writes what of p the socket takes at once and returns how much
// that was; a full socket is not an error. Go's sockets are non-blocking
// underneath, and a RawConn write whose function reports done never parks
// the goroutine, so the caller (a snapshot worker with other clients to
// serve) never waits for this client. The connection's write deadline still
// applies: past it, the write fails without trying.
func writeNow(raw syscall.RawConn, p []byte) (int, error) {
	n := 0
	var werr error
	err := raw.Write(func(fd uintptr) bool {
		for n < len(p) {
			m, e := syscall.Write(int(fd), p[n:])
			if m > 0 {
				n += m
			}
			switch {
			case e == syscall.EINTR:
			case e == syscall.EAGAIN: // the socket is full: the rest waits
				return true
			case e != nil:
				werr = e
				return true
			case m <= 0:
				return true
			}
		}
		return true
	})
	if err == nil {
		err = werr
	}
	return n, err
}
