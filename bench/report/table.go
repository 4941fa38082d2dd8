package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// noisyOtherCPUPct is how much CPU the rest of the machine may use during a
// window before the table warns that the run competed for the cores.
const noisyOtherCPUPct = 25

// WriteTable prints r for a person.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	server := "child server"
	if r.Floor {
		server = "floor child server"
	}
	if r.ExternalServer {
		server = "external server"
	}
	if r.Workers > 0 {
		server += fmt.Sprintf(", bots on %d workers", r.Workers)
	}
	rooms := fmt.Sprintf("in %d rooms of %d", r.Rooms, r.PerRoom)
	if r.Matched {
		rooms = "seated by the fleet's POST /match"
	}
	fmt.Fprintf(w, "Skirmish load test (%s): %d bots %s, %s, tick %d Hz, snapshots %d Hz, AOI %s, deltas %s\n",
		server, r.Bots, rooms, r.Behavior, r.TickRate, r.SnapshotRate, onOff(r.AOI), onOff(r.Deltas))
	if r.Floor {
		fmt.Fprintf(w, "FLOOR: the server was the bench's bare transport server, no game (no world, no AOI, no deltas): a full %d-byte snapshot to each bot every tick and the board once a second\n", r.FloorBytes)
	}
	fmt.Fprintf(w, "steady window %.1f s after a %.1f s ramp; %d bots connected at its end\n\n", r.DurationS, r.RampS, r.BotsConnected)

	p("\tp50\tp95\tp99\tmax\t\n")
	row4 := func(name string, l Latency) { p("%s\t%.2f\t%.2f\t%.2f\t%.2f\t\n", name, l.P50, l.P95, l.P99, l.Max) }
	row3 := func(name string, s Spread) { p("%s\t%.2f\t-\t%.2f\t%.2f\t\n", name, s.P50, s.P99, s.Max) }
	row4("input latency (ms)", r.InputLatencyMs)
	row3("snapshot interval (ms)", r.SnapshotIntervalMs)
	if r.ServerMetrics {
		row3("server tick (ms)", r.ServerTickMs)
	} else {
		p("server tick (ms)\tn/a\t\t\t\t\n")
	}
	row4("connect+hello (ms)", r.ConnectMs)
	row4("ping rtt (ms)", r.RTTMs)
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nper bot: down %.0f B/s, up %.0f B/s, %.1f inputs/s, %.1f snapshots/s (%.2f/s skipped by the server)\n",
		r.DownBytesPerBotS, r.UpBytesPerBotS, r.InputsPerBotS, r.SnapshotsPerBotS, r.SnapshotsMissedPerBotS)
	if r.ExternalServer {
		fmt.Fprintf(w, "server: CPU and RSS not measured (external server)\n")
	} else {
		fmt.Fprintf(w, "server: CPU %.1f%%, RSS %.1f MB (%.1f MB before bots, %.1f KB per connected bot)\n",
			r.ServerCPUPct, r.ServerRSSMB, r.ServerRSSBaseMB, r.ServerRSSPerBotKB)
	}
	if r.Workers > 0 {
		// The workers' machines are not this one: no "everything else".
		fmt.Fprintf(w, "bots:   CPU %.1f%% (the %d workers' processes together)\n", r.BotsCPUPct, r.Workers)
	} else {
		fmt.Fprintf(w, "bots:   CPU %.1f%% (this process), RSS %.1f MB (%.1f KB per connected bot); everything else on the machine %.1f%%\n",
			r.BotsCPUPct, r.BotsRSSMB, r.BotsRSSPerBotKB, r.OtherCPUPct)
	}
	if r.OtherCPUPct > noisyOtherCPUPct {
		fmt.Fprintf(w, "WARNING: other processes used %.0f%% CPU during the window; these figures are pessimistic\n", r.OtherCPUPct)
	}
	if r.BotsBottleneck {
		fmt.Fprintf(w, "WARNING: the cores were saturated and the bots used more CPU than the server: the bots, not the server, limited this run\n")
	}
	fmt.Fprintf(w, "snapshots taken %d of %d received; %d observers applied %d of their %d deltas in full\n",
		r.SnapshotsApplied, r.SnapshotsReceived, r.Observers, r.ObserverDeltasApplied, r.ObserverSnapshots)
	if len(r.ServerCounters) > 0 {
		fmt.Fprintf(w, "server counters over the window: %s\n", formatMap(r.ServerCounters))
	}
	fmt.Fprintf(w, "errors: %d", r.Errors)
	if len(r.ErrorKinds) > 0 {
		fmt.Fprintf(w, " (%s)", formatMap(r.ErrorKinds))
	}
	if len(r.CloseCodes) > 0 {
		fmt.Fprintf(w, "; close codes %s", formatMap(r.CloseCodes))
	}
	if r.Rematches > 0 {
		fmt.Fprintf(w, "; %d bots seated again after a drain or a dead server", r.Rematches)
	}
	fmt.Fprintln(w)
	for _, k := range slices.Sorted(maps.Keys(r.FirstErrors)) {
		fmt.Fprintf(w, "  first %s error: %s\n", k, r.FirstErrors[k])
	}
	if r.KeptUp {
		_, err := fmt.Fprintln(w, "kept up: yes")
		return err
	}
	_, err := fmt.Fprintf(w, "kept up: NO (%s)\n", strings.Join(r.NotKeptUp, "; "))
	return err
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// formatMap prints a map as "k=v k=v" in key order.
func formatMap[V uint64 | float64](m map[string]V) string {
	var sb strings.Builder
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%s=%v", k, m[k])
	}
	return sb.String()
}
