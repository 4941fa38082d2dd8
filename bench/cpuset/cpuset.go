package cpuset

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// ErrList is wrapped by every error Parse returns.
var ErrList = errors.New("cpuset: invalid CPU list")

// ErrUnsupported is returned by Pin where the OS has no sched_setaffinity.
var ErrUnsupported = errors.New("cpuset: pinning to CPUs is supported on Linux only")

// Set is a set of CPU numbers, ascending and without repeats. The zero value
// is the empty set: no pinning.
type Set struct{ cpus []int }

// Parse reads a CPU list as taskset and cgroups write it: comma-separated
// numbers and ranges ("0", "0-1", "0,2-3"). Every CPU must be below
// runtime.NumCPU(). The empty string is the empty set.
func Parse(s string) (Set, error) { return parse(s, runtime.NumCPU()) }

func parse(s string, ncpu int) (Set, error) {
	if strings.TrimSpace(s) == "" {
		return Set{}, nil
	}
	var cpus []int
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := cpu(lo, ncpu)
		if err != nil {
			return Set{}, fmt.Errorf("%w %q: %w", ErrList, s, err)
		}
		b := a
		if isRange {
			if b, err = cpu(hi, ncpu); err != nil {
				return Set{}, fmt.Errorf("%w %q: %w", ErrList, s, err)
			}
			if b < a {
				return Set{}, fmt.Errorf("%w %q: range %s runs backwards", ErrList, s, part)
			}
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	slices.Sort(cpus)
	return Set{cpus: slices.Compact(cpus)}, nil
}

func cpu(s string, ncpu int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a CPU number", s)
	}
	if n >= ncpu {
		return 0, fmt.Errorf("CPU %d: this machine has CPUs 0 to %d", n, ncpu-1)
	}
	return n, nil
}

// Len is the number of CPUs in the set, which is also the GOMAXPROCS that
// fits it.
func (s Set) Len() int { return len(s.cpus) }

// CPUs returns the CPU numbers, ascending.
func (s Set) CPUs() []int { return slices.Clone(s.cpus) }

// String writes the set back as a list with ranges ("0-2,5"); "" when empty.
func (s Set) String() string {
	var b strings.Builder
	for i := 0; i < len(s.cpus); {
		j := i
		for j+1 < len(s.cpus) && s.cpus[j+1] == s.cpus[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(s.cpus[i]))
		if j > i {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(s.cpus[j]))
		}
		i = j + 1
	}
	return b.String()
}

// MarshalText and UnmarshalText carry a Set through JSON (the server child's
// options) as its list.
func (s Set) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a list written by MarshalText.
func (s *Set) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Set makes a *Set a flag.Value.
func (s *Set) Set(v string) error { return s.UnmarshalText([]byte(v)) }

// PinProcess pins every thread of this process to s and sets GOMAXPROCS to
// its size. The empty set does nothing.
func PinProcess(s Set) error {
	if s.Len() == 0 {
		return nil
	}
	if err := pinThreads(s); err != nil {
		return err
	}
	runtime.GOMAXPROCS(s.Len())
	return nil
}
