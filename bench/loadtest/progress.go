package loadtest

import (
	"fmt"
	"io"

	"github.com/skirmish-game/skirmish/bench/report"
)

// progress prints the live line once a second: rewritten in place on a
// terminal, one line per second otherwise (logs, CI).
type progress struct {
	w     io.Writer // nil = silent
	tty   bool
	total int
	dirty bool // a \r line is showing
}

func (p *progress) update(pt report.Point, errors uint64, phase string) {
	if p.w == nil {
		return
	}
	line := fmt.Sprintf("[%5.1fs %-6s] bots %d/%d  msgs/s %.0f  input p99 %.1f ms  tick p99 %.2f ms  errors %d",
		pt.T, phase, pt.Bots, p.total, pt.MsgsPerSec, pt.Latency.P99, pt.Tick.P99, errors)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
		p.dirty = true
		return
	}
	fmt.Fprintln(p.w, line)
}

// done ends an in-place line so later output starts on its own line.
func (p *progress) done() {
	if p.w != nil && p.dirty {
		fmt.Fprintln(p.w)
		p.dirty = false
	}
}
