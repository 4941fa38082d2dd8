package rawsock

import (
	"syscall"
	"unsafe"
)

// Supported says WriteNow works here.
const Supported = true

// WriteNow writes what of p the socket takes at once and returns how much
// that was; a full socket is not an error. Go's sockets are non-blocking
// underneath, and a RawConn write whose function reports done never parks
// the goroutine, so the caller never waits for this socket. The
// connection's write deadline still applies: past it, the write fails
// without trying.
//
// The write is a raw system call: one that cannot block needs none of the
// scheduler's hand-off around a system call, and without it the caller
// keeps its P, so a batch of writes is not interleaved with other
// goroutines (on a process with one P, the connections' readers) that the
// hand-off would let run in the middle of it.
func WriteNow(raw syscall.RawConn, p []byte) (int, error) {
	n := 0
	var werr error
	err := raw.Write(func(fd uintptr) bool {
		for n < len(p) {
			m, e := write(fd, p[n:])
			if m > 0 {
				n += m
			}
			switch {
			case e == syscall.EINTR:
			case e == syscall.EAGAIN: // the socket is full: the rest waits
				return true
			case e != 0:
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

// write is write(2) on fd without the scheduler's system call hand-off;
// fd is non-blocking, so it returns at once.
func write(fd uintptr, p []byte) (int, syscall.Errno) {
	r, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	if e != 0 {
		return -1, e
	}
	return int(r), 0
}
