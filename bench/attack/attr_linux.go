package attack

import "syscall"

// childAttr puts the child in its own process group (a terminal's Ctrl-C
// reaches only the bench) and has the kernel kill it should the bench die.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
