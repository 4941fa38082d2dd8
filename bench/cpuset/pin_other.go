//go:build !linux

package cpuset

func pinThreads(Set) error { return ErrUnsupported }

// Affinity is not known outside Linux.
func Affinity(int) (Set, error) { return Set{}, ErrUnsupported }

// ProcessAffinity is not known outside Linux.
func ProcessAffinity() (map[int]Set, error) { return nil, ErrUnsupported }
