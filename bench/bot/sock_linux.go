package bot

import (
	"net"
	"syscall"
	"unsafe"
)

func newSock(c *net.TCPConn) (*sock, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	s := &sock{TCPConn: c}
	if err := rc.Control(func(fd uintptr) { s.fd = int(fd) }); err != nil {
		return nil, err
	}
	return s, nil
}

// writeNow writes what of p the socket takes without waiting. It is one
// sendto(MSG_DONTWAIT) on the fd: no poller, no deadline, no lock of the
// runtime's, and since it never sleeps it need not tell the scheduler
// (RawSyscall). Call it with s.mu held and s.closed false, so that fd is
// still this connection's.
func (s *sock) writeNow(p []byte) (int, error) {
	n, _, errno := syscall.RawSyscall6(syscall.SYS_SENDTO, uintptr(s.fd),
		uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)), syscall.MSG_DONTWAIT, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// wouldBlock reports a writeNow that wrote nothing but may be retried.
func wouldBlock(err error) bool { return err == syscall.EAGAIN || err == syscall.EINTR }
