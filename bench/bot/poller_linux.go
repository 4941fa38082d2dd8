package bot

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// pollEvents is how many ready sockets one epoll_wait returns; a poller
// that gets that many asks again at once.
const pollEvents = 256

// epollET is EPOLLET as the event mask's bit (syscall spells it negative).
const epollET = 1 << 31

// poller reads many bots' sockets from one goroutine: an epoll instance of
// its own holds their descriptors, and it alone sits in the runtime's poller,
// so a burst of snapshots to a thousand bots wakes one goroutine, not a
// thousand, and each wake-up takes every socket that is ready (epoll_wait
// without waiting, a raw syscall). Each socket is read until a read comes
// back short, so a message costs one read syscall, as before; a socket that
// became writable finishes its pending write.
//
// One poller per GOMAXPROCS serves the process (pollers), as the runtime's
// one poller serves its sockets; a poller is never stopped, and parked it
// costs nothing.
type poller struct {
	epfd int
	ep   *os.File // epfd, in the runtime's poller

	mu    sync.Mutex
	links []*wsLink // by descriptor; nil: none
	n     int       // links held
}

// pollers is the process's pollers, started on the first bot's dial.
var pollers struct {
	once sync.Once
	all  []*poller
	err  error
	next atomic.Uint32
}

// pollerFor returns a poller for a new socket, the next one round.
func pollerFor() (*poller, error) {
	pollers.once.Do(func() {
		for range runtime.GOMAXPROCS(0) {
			p, err := newPoller()
			if err != nil {
				pollers.err = err
				return
			}
			go p.run()
			pollers.all = append(pollers.all, p)
		}
	})
	if pollers.err != nil {
		return nil, pollers.err
	}
	return pollers.all[int(pollers.next.Add(1))%len(pollers.all)], nil
}

func newPoller() (*poller, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("bot: epoll: %w", err)
	}
	// Non-blocking, os.NewFile puts it in the runtime's poller: it is
	// readable when a socket in it is ready.
	if err := syscall.SetNonblock(epfd, true); err != nil {
		_ = syscall.Close(epfd)
		return nil, fmt.Errorf("bot: epoll: %w", err)
	}
	return &poller{epfd: epfd, ep: os.NewFile(uintptr(epfd), "bot-epoll")}, nil
}

// add starts reading l's socket; l's events run on the poller's goroutine
// from now on. Edge-triggered: a socket reports once each time more comes
// in (or it becomes writable), and is read until it is empty.
func (p *poller) add(l *wsLink) error {
	fd := l.sock.fd
	p.mu.Lock()
	for fd >= len(p.links) {
		p.links = append(p.links, nil)
	}
	p.links[fd] = l
	p.n++
	p.mu.Unlock()
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLOUT | syscall.EPOLLRDHUP | epollET, Fd: int32(fd)}
	if err := syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
		p.drop(fd)
		return fmt.Errorf("bot: epoll add: %w", err)
	}
	return nil
}

// drop forgets the link on fd; its socket leaves the epoll set when it is
// closed, right after.
func (p *poller) drop(fd int) {
	p.mu.Lock()
	p.links[fd] = nil
	p.n--
	p.mu.Unlock()
}

func (p *poller) link(fd int32) *wsLink {
	p.mu.Lock()
	defer p.mu.Unlock()
	if int(fd) < len(p.links) {
		return p.links[fd]
	}
	return nil
}

// held reports how many sockets the poller reads.
func (p *poller) held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// run serves the sockets' events for good: the runtime wakes it when the
// epoll set has any ready, and it takes them all before it parks again.
func (p *poller) run() {
	rc, err := p.ep.SyscallConn()
	if err != nil {
		panic(fmt.Sprintf("bot: epoll: %v", err)) // an *os.File from a descriptor always has one
	}
	var evs [pollEvents]syscall.EpollEvent
	_ = rc.Read(func(uintptr) bool { // never ends: the set is never closed
		for {
			n := p.wait(evs[:])
			for i := range n {
				p.ready(&evs[i])
			}
			if n < len(evs) {
				return false // none left: park until the runtime sees more
			}
		}
	})
}

// wait is one epoll_wait that does not wait; it returns how many events it
// filled in.
func (p *poller) wait(evs []syscall.EpollEvent) int {
	for {
		n, _, errno := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(p.epfd),
			uintptr(unsafe.Pointer(unsafe.SliceData(evs))), uintptr(len(evs)), 0, 0, 0)
		switch errno {
		case 0:
			return int(n)
		case syscall.EINTR:
			continue
		default:
			panic(fmt.Sprintf("bot: epoll_wait: %v", errno)) // only a bad epfd or buffer fails it
		}
	}
}

// ready handles one socket's event: reads what came in, finishes a pending
// write, and ends the link when its connection is over.
func (p *poller) ready(ev *syscall.EpollEvent) {
	l := p.link(ev.Fd)
	if l == nil {
		return // ended earlier in this batch
	}
	end := l.event(ev.Events)
	if end == nil {
		return
	}
	p.drop(int(ev.Fd))
	l.end(end) // closes the socket, which leaves the epoll set
}
