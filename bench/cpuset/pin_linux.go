package cpuset

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// maxPinPasses bounds the passes over the process's threads: a thread the
// runtime starts from a not yet pinned one during a pass is caught by the
// next, and one started from a pinned thread inherits its affinity.
const maxPinPasses = 4

// pinThreads sets the affinity of every thread: sched_setaffinity applies to
// one thread, and a Go process runs on several that already exist.
func pinThreads(s Set) error {
	var mask unix.CPUSet
	for _, c := range s.cpus {
		mask.Set(c)
	}
	pinned := map[int]bool{}
	for range maxPinPasses {
		tids, err := threads()
		if err != nil {
			return err
		}
		fresh := 0
		for _, tid := range tids {
			if pinned[tid] {
				continue
			}
			if err := unix.SchedSetaffinity(tid, &mask); err != nil {
				if errors.Is(err, unix.ESRCH) { // the thread exited meanwhile
					continue
				}
				return fmt.Errorf("cpuset: pin thread %d to %s: %w", tid, s, err)
			}
			pinned[tid] = true
			fresh++
		}
		if fresh == 0 {
			return nil
		}
	}
	return nil
}

func threads() ([]int, error) {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, fmt.Errorf("cpuset: %w", err)
	}
	tids := make([]int, 0, len(ents))
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}

// Affinity returns the CPUs thread tid may run on (0: the calling thread).
func Affinity(tid int) (Set, error) {
	var mask unix.CPUSet
	if err := unix.SchedGetaffinity(tid, &mask); err != nil {
		return Set{}, fmt.Errorf("cpuset: affinity of %d: %w", tid, err)
	}
	var s Set
	for c := range len(mask) * 64 {
		if mask.IsSet(c) {
			s.cpus = append(s.cpus, c)
		}
	}
	return s, nil
}

// ProcessAffinity returns the affinity of every thread of this process.
func ProcessAffinity() (map[int]Set, error) {
	tids, err := threads()
	if err != nil {
		return nil, err
	}
	out := make(map[int]Set, len(tids))
	for _, tid := range tids {
		s, err := Affinity(tid)
		if err != nil {
			continue // exited meanwhile
		}
		out[tid] = s
	}
	return out, nil
}
