package bot

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// maxPending caps what a link holds of writes its socket did not take: a
// step's frames skip while any is held (busy), so only the read loop's pongs
// and close frames add to it, and a server that stops reading for good ends
// the connection instead of growing it.
const maxPending = 1 << 20

var errPendingFull = errors.New("bot: socket not taking writes")

// sock is a bot's TCP socket once gws has said the handshake: a file
// descriptor of the bot's own, out of the runtime's poller (a poller of the
// bots' reads it, poller_linux.go), written with raw non-blocking syscalls.
//
// Only the poller that reads it closes it (closeFD), so no read runs on a
// descriptor the next socket has taken; anyone else ends it with shutdown,
// which the poller sees. Every write holds mu and checks closed, for the
// same reason.
type sock struct {
	fd int

	mu      sync.Mutex
	closed  bool        // under mu: fd is no longer this connection's
	pending []byte      // under mu: the frames the socket has not taken yet, in order
	waiting atomic.Bool // pending holds some; changed under mu
}

// takeSock takes c's socket from the runtime: a duplicate of its descriptor
// becomes the bot's, and c is closed, which takes the original out of the
// runtime's poller (the socket stays open through the duplicate). The
// socket stays non-blocking, as the runtime made it.
func takeSock(c *net.TCPConn) (*sock, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd, errno := -1, syscall.Errno(0)
	if err := rc.Control(func(orig uintptr) {
		var r uintptr
		r, _, errno = syscall.Syscall(syscall.SYS_FCNTL, orig, syscall.F_DUPFD_CLOEXEC, 0)
		fd = int(r)
	}); err != nil {
		return nil, err
	}
	if errno != 0 {
		return nil, errno
	}
	if err := c.Close(); err != nil {
		_ = syscall.Close(fd)
		return nil, err
	}
	return &sock{fd: fd}, nil
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

// readNow reads what the socket holds, up to len(p), without waiting: one
// read syscall, raw for the same reason as writeNow's. Only the poller that
// owns the socket calls it, and it alone closes fd.
func (s *sock) readNow(p []byte) (int, error) {
	n, _, errno := syscall.RawSyscall(syscall.SYS_READ, uintptr(s.fd),
		uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// send writes p after what is pending, now as far as the socket takes it;
// the rest waits for the poller to see the socket writable (flush). It
// reports whether some of it is left.
func (s *sock) send(p []byte) (left bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false, net.ErrClosed
	}
	if len(s.pending) > 0 {
		if len(s.pending)+len(p) > maxPending {
			return true, errPendingFull
		}
		s.pending = append(s.pending, p...)
		return true, nil
	}
	n, err := s.writeNow(p)
	for err == syscall.EINTR {
		n, err = s.writeNow(p)
	}
	switch {
	case err == nil && n == len(p):
		return false, nil
	case err != nil && err != syscall.EAGAIN:
		return false, err
	}
	s.pending = append(s.pending[:0], p[n:]...) // n is 0 on EAGAIN
	s.waiting.Store(true)
	return true, nil
}

// sendIfIdle writes p now, as far as the socket takes it, if nothing is
// pending and the socket is open; a close frame, which the end of the
// connection follows at once either way.
func (s *sock) sendIfIdle(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed && len(s.pending) == 0 {
		_, _ = s.writeNow(p) // best effort: the FIN or reset after it says the same
	}
}

// flush writes what is pending as far as the socket takes it, and reports
// whether some is still left.
func (s *sock) flush() (left bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.pending) == 0 {
		return false, nil
	}
	for len(s.pending) > 0 {
		n, err := s.writeNow(s.pending)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			return true, nil // the poller sees the socket writable again
		case err != nil:
			s.pending = nil
			s.waiting.Store(false)
			return false, err
		}
		s.pending = s.pending[:copy(s.pending, s.pending[n:])]
	}
	s.pending = nil // a full socket's backlog is not kept for the next
	s.waiting.Store(false)
	return false, nil
}

// shutdown ends the connection both ways (a FIN, as a close sends); the
// poller sees the hang-up and closes the descriptor.
func (s *sock) shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		_ = syscall.Shutdown(s.fd, syscall.SHUT_RDWR) // a socket already reset is ended anyway
	}
}

// closeFD closes the descriptor, once; only its poller calls it, and no
// write runs on it from then on.
func (s *sock) closeFD() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.pending = nil
		s.waiting.Store(false)
		_ = syscall.Close(s.fd) // nothing is left to tell: the connection is over
	}
}
