package enginetest

import (
	"bytes"
	"fmt"
	"sync"
)

// LogBuffer collects output written from other goroutines (the engine's
// log, a child process, browser events) for a test to print when it fails:
// testing.T must not be written to once the test has returned.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Printf appends one formatted line.
func (b *LogBuffer) Printf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(&b.buf, format+"\n", args...)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
