package attack

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Result is one row's figures.
type Result struct {
	Row        int
	Name, What string
	Took       time.Duration

	HaveUsage           bool // the server's pid was known
	Before, Peak, After usage
	Capped              bool // the attack was stopped at DefaultMaxRSS
	Answer              string
	Honest              HonestEffect
	Metrics             [2]page // /metrics before and after the row
	Err                 error   // the row could not run
}

func mb(b uint64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// rssCell is "before / peak / after" in MB.
func (r Result) rssCell() string {
	if !r.HaveUsage {
		return "-"
	}
	s := mb(r.Before.RSS) + " / " + mb(r.Peak.RSS) + " / " + mb(r.After.RSS)
	if r.Capped {
		s += " (capped)"
	}
	return s
}

func (r Result) fdCell() string {
	if !r.HaveUsage {
		return "-"
	}
	return fmt.Sprintf("%d / %d / %d", r.Before.FDs, r.Peak.FDs, r.After.FDs)
}

// closesCell is the server's close-code counter growth over the row.
func (r Result) closesCell() string {
	if !r.Metrics[0].ok || !r.Metrics[1].ok {
		return "(no /metrics)"
	}
	d := closesBetween(r.Metrics[0], r.Metrics[1])
	if len(d) <= maxCodesShown {
		return formatCounts(d)
	}
	total := 0
	for _, n := range d {
		total += n
	}
	return fmt.Sprintf("%d closes over %d distinct codes", total, len(d))
}

// maxCodesShown is how many close codes a cell lists before it only counts.
const maxCodesShown = 8

// WriteDetail writes one row's full result.
func (r Result) WriteDetail(w io.Writer) error {
	_, err := fmt.Fprintf(w, "\nrow %d %s: %s\n", r.Row, r.Name, r.What)
	if err != nil {
		return err
	}
	if r.Err != nil {
		_, err = fmt.Fprintf(w, "  not run: %v\n", r.Err)
		return err
	}
	h := r.Honest
	m0, m1 := r.Metrics[0], r.Metrics[1]
	_, err = fmt.Fprintf(w,
		"  took %.1fs\n"+
			"  server RSS MB before/peak/after: %s; open files: %s\n"+
			"  server answered: %s\n"+
			"  server closes (metric growth, by code): %s\n"+
			"  /metrics: %d -> %d bytes, %d -> %d series; rooms %d -> %d\n"+
			"  honest: %d bots at end, snapshot interval p99 %s ms (max %s, n %d), input p99 %s ms, errors %d, closed %s\n",
		r.Took.Seconds(), r.rssCell(), r.fdCell(), r.Answer, r.closesCell(),
		m0.bytes, m1.bytes, m0.series, m1.series, m0.rooms, m1.rooms,
		h.Bots, ms(h.SnapshotP99), ms(h.SnapshotMax), h.Snapshots, ms(h.InputP99), h.Errors, formatCounts(h.ServerCloses))
	return err
}

// WriteTable writes the summary of every row, one line each.
func WriteTable(w io.Writer, results []Result) error {
	if _, err := fmt.Fprintln(w, "\nsummary (latencies are wall-clock on a shared machine: noisy)"); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "row\tattack\tRSS MB before/peak/after\tfds b/p/a\thonest snap p99 ms\thonest input p99 ms\thonest errs\tserver closes")
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(tw, "%d\t%s\tnot run: %v\t\t\t\t\t\n", r.Row, r.Name, r.Err)
			continue
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Row, r.Name, r.rssCell(), r.fdCell(),
			ms(r.Honest.SnapshotP99), ms(r.Honest.InputP99), r.Honest.Errors, r.closesCell())
	}
	return tw.Flush()
}
