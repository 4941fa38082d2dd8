//go:build !linux

package serverproc

import "syscall"

// childAttr: outside Linux the closing stdin pipe alone ends the child.
func childAttr() *syscall.SysProcAttr { return nil }
