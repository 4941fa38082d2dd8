package procstat

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// ErrFormat is returned when a /proc file does not read as expected.
var ErrFormat = errors.New("procstat: unexpected /proc format")

// tickBits bounds a parsed tick count (2^48 ticks is 89,000 years), so that
// sums of a few counts cannot overflow.
const tickBits = 48

// clockTicks is USER_HZ, the unit of the CPU times in /proc. It is 100 on
// every Linux architecture Go supports; reading it would need cgo (sysconf).
const clockTicks = 100

// Usage is a process's cumulative CPU time and current resident set.
type Usage struct {
	CPU time.Duration
	RSS uint64 // bytes
}

// Read samples process pid.
func Read(pid int) (Usage, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return Usage{}, fmt.Errorf("procstat: %w", err)
	}
	cpu, err := ParseStat(stat)
	if err != nil {
		return Usage{}, err
	}
	rss, err := readRSS(pid)
	if err != nil {
		return Usage{}, err
	}
	return Usage{CPU: cpu, RSS: rss}, nil
}

// Self returns the calling process's cumulative CPU time (user + system, all
// threads) and its current RSS.
func Self() (Usage, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return Usage{}, fmt.Errorf("procstat: getrusage: %w", err)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	rss, err := readRSS(os.Getpid())
	if err != nil {
		return Usage{CPU: cpu}, err
	}
	return Usage{CPU: cpu, RSS: rss}, nil
}

// System returns the CPU time all processes have used (every state but idle
// and iowait, summed over cores), from /proc/stat.
func System() (time.Duration, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, fmt.Errorf("procstat: %w", err)
	}
	return ParseSystemStat(data)
}

// ParseStat reads utime + stime (fields 14 and 15) of a /proc/<pid>/stat.
// The command name (field 2) may hold spaces and parentheses, so fields are
// counted from the last ')'.
func ParseStat(data []byte) (time.Duration, error) {
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return 0, fmt.Errorf("%w: stat has no command", ErrFormat)
	}
	fields := bytes.Fields(data[end+1:])
	// fields[0] is field 3 (state), so field n is fields[n-3].
	const utime, stime = 14 - 3, 15 - 3
	if len(fields) <= stime {
		return 0, fmt.Errorf("%w: stat has %d fields", ErrFormat, len(fields)+2)
	}
	u, err1 := strconv.ParseUint(string(fields[utime]), 10, tickBits)
	s, err2 := strconv.ParseUint(string(fields[stime]), 10, tickBits)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("%w: stat: %w", ErrFormat, err)
	}
	return ticks(u + s), nil
}

// ParseSystemStat reads the busy time of the "cpu" line of /proc/stat:
// user nice system idle iowait irq softirq steal (guest time is already in
// user).
func ParseSystemStat(data []byte) (time.Duration, error) {
	for line := range bytes.Lines(data) {
		rest, ok := bytes.CutPrefix(line, []byte("cpu "))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) < 8 {
			break
		}
		var busy uint64
		for i, v := range f[:8] {
			if i == 3 || i == 4 { // idle, iowait
				continue
			}
			n, err := strconv.ParseUint(string(v), 10, tickBits)
			if err != nil {
				return 0, fmt.Errorf("%w: /proc/stat: %w", ErrFormat, err)
			}
			busy += n
		}
		return ticks(busy), nil
	}
	return 0, fmt.Errorf("%w: /proc/stat has no cpu line", ErrFormat)
}

// ParseStatus reads VmRSS, in bytes, from a /proc/<pid>/status.
func ParseStatus(data []byte) (uint64, error) {
	for line := range bytes.Lines(data) {
		rest, ok := bytes.CutPrefix(line, []byte("VmRSS:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			break
		}
		kb, err := strconv.ParseUint(string(f[0]), 10, 44)
		if err != nil {
			return 0, fmt.Errorf("%w: VmRSS: %w", ErrFormat, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("%w: no VmRSS", ErrFormat)
}

func readRSS(pid int) (uint64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("procstat: %w", err)
	}
	return ParseStatus(data)
}

// ticks converts clock ticks to a duration without overflowing: a count past
// what a Duration holds saturates.
func ticks(n uint64) time.Duration {
	const maxTicks = uint64(1<<63-1) / uint64(time.Second/clockTicks)
	return time.Duration(min(n, maxTicks)) * (time.Second / clockTicks)
}

// CPUPercent is the CPU used between two samples as a percentage of one core
// over wall time (200 means two cores busy).
func CPUPercent(from, to Usage, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return 100 * float64(to.CPU-from.CPU) / float64(wall)
}

// OpenFDs counts process pid's open file descriptors (the entries of
// /proc/<pid>/fd): a descriptor leak shows here first.
func OpenFDs(pid int) (int, error) {
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return 0, fmt.Errorf("procstat: %w", err)
	}
	return len(entries), nil
}
