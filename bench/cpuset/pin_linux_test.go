package cpuset

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// envPinChild makes the test binary the child of TestPinProcess: pinning
// the test process itself would pin every other test with it.
const envPinChild = "CPUSET_TEST_PIN_CHILD"

func TestMain(m *testing.M) {
	if list, ok := os.LookupEnv(envPinChild); ok {
		os.Exit(pinChild(list))
	}
	os.Exit(m.Run())
}

// pinChild pins the process, makes the runtime start more threads, and
// checks that every thread runs on the set and GOMAXPROCS fits it. Exit 0:
// pinned; 3: the kernel does not allow it here; 1: wrong.
func pinChild(list string) int {
	s, err := Parse(list)
	if err != nil {
		os.Stderr.WriteString(err.Error())
		return 1
	}
	if err := PinProcess(s); err != nil {
		os.Stderr.WriteString(err.Error())
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EINVAL) {
			return 3
		}
		return 1
	}
	// Threads locked by goroutines force the runtime to start new ones.
	var wg sync.WaitGroup
	release := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			runtime.LockOSThread()
			<-release
		})
	}
	aff, err := ProcessAffinity()
	close(release)
	wg.Wait()
	if err != nil {
		os.Stderr.WriteString(err.Error())
		return 1
	}
	for tid, a := range aff {
		if a.String() != s.String() {
			fmt.Fprintf(os.Stderr, "thread %d on %s, want %s", tid, a, s)
			return 1
		}
	}
	if runtime.GOMAXPROCS(0) != s.Len() {
		fmt.Fprintf(os.Stderr, "GOMAXPROCS %d, want %d", runtime.GOMAXPROCS(0), s.Len())
		return 1
	}
	fmt.Printf("threads %d", len(aff))
	return 0
}

func TestPinProcess(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envPinChild+"=0")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		t.Skipf("sched_setaffinity not allowed here: %s", stderr.String())
	}
	require.NoError(t, err, "child: %s", stderr.String())
	assert.Contains(t, string(out), "threads ")
}
