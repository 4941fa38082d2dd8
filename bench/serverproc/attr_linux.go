package serverproc

import "syscall"

// childAttr puts the child in its own process group, so a terminal's Ctrl-C
// reaches only the bench (which then stops bots before the server), and
// has the kernel kill it should the bench die without closing its stdin.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
