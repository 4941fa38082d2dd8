//go:build !linux

package attack

import "syscall"

// childAttr: outside Linux the closing stdin pipe alone ends the child.
func childAttr() *syscall.SysProcAttr { return nil }
