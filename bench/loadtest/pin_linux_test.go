package loadtest

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/skirmish-game/skirmish/bench/cpuset"
	"github.com/skirmish-game/skirmish/bench/serverproc"
)

// TestChildServerIsPinned starts the server child on CPU 0 and reads every
// one of its threads' allowed CPUs from /proc.
func TestChildServerIsPinned(t *testing.T) {
	// Setting this thread's own affinity again tells whether the kernel
	// lets this process set affinity at all, without moving this test.
	var mine unix.CPUSet
	require.NoError(t, unix.SchedGetaffinity(0, &mine))
	if err := unix.SchedSetaffinity(0, &mine); err != nil {
		t.Skipf("sched_setaffinity not allowed here: %v", err)
	}
	cpus, err := cpuset.Parse("0")
	require.NoError(t, err)
	p, err := serverproc.Start(serverproc.Options{TickRate: 30, RoomCapacity: 2, MaxRooms: 1, MaxConnsPerIP: 4, CPUs: cpus}, io.Discard)
	require.NoError(t, err)
	defer func() { assert.NoError(t, p.Stop()) }()

	tasks, err := filepath.Glob(filepath.Join("/proc", strconv.Itoa(p.Pid), "task", "*", "status"))
	require.NoError(t, err)
	require.NotEmpty(t, tasks)
	for _, path := range tasks {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Contains(t, string(data), "Cpus_allowed_list:\t0\n", path)
	}
	env, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p.Pid), "environ"))
	require.NoError(t, err)
	assert.Contains(t, strings.Split(string(env), "\x00"), "GOMAXPROCS=1")
}
