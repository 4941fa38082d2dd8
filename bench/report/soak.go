package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Soak is a soak run's report: the run's own report, and whether the
// server's memory, goroutines and descriptors stayed flat over it. Its JSON
// is the Report's keys with the soak's added.
type Soak struct {
	*Report
	Flat        bool         `json:"flat"`
	NotFlat     []string     `json:"not_flat,omitempty"`
	SoakEveryS  float64      `json:"soak_every_s"`  // seconds between samples
	SoakWindowS float64      `json:"soak_window_s"` // the first and the last this long are compared
	SoakWarmupS float64      `json:"soak_warmup_s"` // samples before this are shown, not judged
	Resources   []Flatness   `json:"soak_resources"`
	Samples     []SoakSample `json:"soak_samples"`
	Churn       Churn        `json:"churn"`
}

// SoakSample is the server's resources at one instant of the steady window.
type SoakSample struct {
	T      float64            `json:"t_s"` // since the steady window opened
	Bots   int                `json:"bots"`
	Values map[string]float64 `json:"values"` // by resource; one not read at this instant is absent
}

// Flatness is one resource's verdict.
type Flatness struct {
	Resource    string  `json:"resource"`
	Unit        string  `json:"unit"`
	Source      string  `json:"source"`   // "/proc", "/metrics" or "" when not measured
	Measured    bool    `json:"measured"` // enough samples to judge
	Start       float64 `json:"start"`    // median of the first window
	End         float64 `json:"end"`      // median of the last window
	Growth      float64 `json:"growth"`   // End - Start
	SlopePerMin float64 `json:"slope_per_min"`
	Projected   float64 `json:"projected"` // the slope over the whole span sampled
	Allowed     float64 `json:"allowed"`   // the most Growth and Projected may be
	Flat        bool    `json:"flat"`
}

// Churn counts the bots taken out and brought back during the run.
type Churn struct {
	Reconnects     uint64 `json:"reconnects"`
	Resumes        uint64 `json:"resumes"`
	ResumesRefused uint64 `json:"resumes_refused"`
	Revived        uint64 `json:"revived"`
	Failed         uint64 `json:"failed"`
}

// WriteTable prints the run's table, then the soak's.
func (s *Soak) WriteTable(w io.Writer) error {
	if err := s.Report.WriteTable(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nsoak: %d samples every %.0f s over %.1f min; after a %.0f s warm-up, the first and last %.0f s compared\n",
		len(s.Samples), s.SoakEveryS, s.DurationS/60, s.SoakWarmupS, s.SoakWindowS)
	fmt.Fprintf(w, "churn: %d reconnects, %d resumes (%d refused), %d revived, %d failed\n",
		s.Churn.Reconnects, s.Churn.Resumes, s.Churn.ResumesRefused, s.Churn.Revived, s.Churn.Failed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "resource\tstart\tend\tslope/min\tallowed\tverdict\t\n")
	for _, f := range s.Resources {
		if !f.Measured {
			fmt.Fprintf(tw, "%s\tn/a\tn/a\tn/a\t\tn/a\t\n", f.label())
			continue
		}
		verdict := "flat"
		if !f.Flat {
			verdict = "GROWS"
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%+.2f\t%.1f\t%s\t\n", f.label(), f.Start, f.End, f.SlopePerMin, f.Allowed, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if s.Flat {
		_, err := fmt.Fprintln(w, "flat: yes")
		return err
	}
	_, err := fmt.Fprintf(w, "flat: NO (%s)\n", strings.Join(s.NotFlat, "; "))
	return err
}

// PlotSoak draws the run's series and, below them, the server's memory and
// its goroutines and descriptors over the soak's samples.
func PlotSoak(path, title string, s *Soak) error {
	pick := func(key string) line {
		l := line{name: key}
		for _, sm := range s.Samples {
			if v, ok := sm.Values[key]; ok {
				l.xs, l.ys = append(l.xs, sm.T), append(l.ys, v)
			}
		}
		return l
	}
	panels := append(seriesPanels(s.Series),
		panel{title: "server memory (soak)", xLabel: "s into the window", yLabel: "MB", lines: []line{pick("rss_mb"), pick("heap_inuse_mb")}},
		panel{title: "server goroutines and fds (soak)", xLabel: "s into the window", yLabel: "count", lines: []line{pick("goroutines"), pick("open_fds")}},
	)
	return drawPanels(path, title, panels)
}

func (f Flatness) label() string {
	l := f.Resource
	if f.Unit != "" {
		l += " (" + f.Unit + ")"
	}
	if f.Source != "" {
		l += " " + f.Source
	}
	return l
}
