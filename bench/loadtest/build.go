package loadtest

import (
	"runtime"
	"strconv"
	"time"

	"github.com/skirmish-game/skirmish/bench/bot"
	"github.com/skirmish-game/skirmish/bench/procstat"
	"github.com/skirmish-game/skirmish/bench/report"
	"github.com/skirmish-game/skirmish/server/engine"
)

// Keep-up criteria: snapshots arrive on time and the server's tick fits its
// interval. The snapshot criterion uses the snapshot period, which is the
// tick interval whenever snapshots go out every tick (the bench's child
// always does that). The server's tick includes writing every client's
// frames to its socket (the engine's snapshot workers write them; writer
// goroutines did, after the tick, until 2026-12-02, when the limit was half
// an interval): a tick p99 within the interval means the room keeps its
// schedule, and the snapshot criterion says whether the frames reached the
// players on time.
const (
	maxSnapshotP99Periods = 1.5
	maxTickP99Intervals   = 1.0
)

// serverCounters are the server counters whose increase over the window the
// report shows, under shorter keys.
var serverCounters = [...]struct{ key, name string }{
	{"tick_overruns", engine.MetricTickOverruns},
	{"inputs_dropped", engine.MetricInputsDropped},
	{"snapshots_skipped", engine.MetricSnapshotsSkipped},
	{"slow_client_kicks", engine.MetricSlowClientKicks},
	{"decode_errors", engine.MetricDecodeErrors},
	{"bytes_out", engine.MetricBytesOut},
	{"bytes_in", engine.MetricBytesIn},
}

func buildReport(cfg Config, tg *target, rec *bot.Recorder, before *sample, w *window) *report.Report {
	a, b := w.start, w.end
	wall := b.at.Sub(a.at)
	secs := wall.Seconds()
	tickRate := int(rec.TickRate.Load())
	if tickRate == 0 {
		tickRate = cfg.TickRate
	}
	snapRate := int(rec.SnapshotRate.Load())
	if snapRate == 0 { // no bot was welcomed: a snapshot every tick, as serverproc sets the child up
		snapRate = tickRate
	}
	bots := float64(a.connected+b.connected) / 2
	perBot := func(n uint64) float64 {
		if bots == 0 || secs == 0 {
			return 0
		}
		return report.Round(float64(n)/bots/secs, 1)
	}
	scenario := cfg.Scenario
	if scenario == "" {
		scenario = "default"
	}
	rep := &report.Report{
		Bots:               cfg.Bots,
		Rooms:              cfg.rooms(),
		TickRate:           tickRate,
		DurationS:          report.Round(secs, 2),
		InputLatencyMs:     latencyMs(b.lat.Sub(a.lat, nil).Summarize(w.latMax)),
		SnapshotIntervalMs: spreadMs(b.ivl.Sub(a.ivl, nil).Summarize(w.ivlMax)),
		DownBytesPerBotS:   perBot(b.bytesIn - a.bytesIn),
		UpBytesPerBotS:     perBot(b.bytesOut - a.bytesOut),
		BotsCPUPct:         report.Round(procstat.CPUPercent(a.self, b.self, wall), 1),
		Errors:             rec.Errors.Load(),

		Scenario:               scenario,
		Behavior:               cfg.Behavior.String(),
		PerRoom:                cfg.PerRoom,
		SnapshotRate:           snapRate,
		AOI:                    cfg.AOI,
		Deltas:                 cfg.Deltas,
		ExternalServer:         tg.proc == nil,
		RampS:                  cfg.Ramp.Seconds(),
		BotsConnected:          b.connected,
		ConnectMs:              latencyMs(rec.Connect.Snapshot(nil).Summarize(rec.Connect.TakeMax())),
		RTTMs:                  latencyMs(rec.RTT.Snapshot(nil).Summarize(rec.RTT.TakeMax())),
		InputsPerBotS:          perBot(b.inputs - a.inputs),
		SnapshotsPerBotS:       perBot(b.snaps - a.snaps),
		SnapshotsMissedPerBotS: perBot(b.missed - a.missed),
		SnapshotsReceived:      rec.SnapshotsReceived.Load(),
		SnapshotsApplied:       rec.SnapshotsAcked.Load(),
		Observers:              cfg.swarmObservers(),
		ObserverSnapshots:      rec.ObserverSnapshots.Load(),
		ObserverDeltasApplied:  rec.SnapshotsApplied.Load(),
		ErrorKinds:             rec.ErrorKinds(),
		FirstErrors:            rec.FirstErrors(),
		CloseCodes:             map[string]uint64{},
		Matched:                cfg.Match,
		Rematches:              rec.Rematches.Load(),
		ServerCounters:         map[string]float64{},
		Series:                 w.series,
		ServerCPUs:             cfg.ServerCPUs.String(),
		BotsCPUs:               cfg.BotsCPUs.String(),
		Floor:                  cfg.Floor,
	}
	if cfg.Floor {
		// The floor has neither, whatever -aoi and -deltas said.
		rep.FloorBytes, rep.AOI, rep.Deltas = cfg.FloorBytes, false, false
	}
	for code, n := range rec.CloseCodes() {
		rep.CloseCodes[strconv.Itoa(int(code))] = n
	}
	if ma, mb := w.firstMetrics, w.lastMetrics; ma != nil && mb != nil && ma != mb {
		rep.ServerMetrics = true
		rep.ServerTickMs = tickMs(mb.tick.Sub(ma.tick))
		for _, c := range serverCounters {
			va, oka := ma.metrics.Value(c.name)
			vb, okb := mb.metrics.Value(c.name)
			if oka && okb {
				rep.ServerCounters[c.key] = vb - va
			}
		}
	}
	if tg.proc != nil && before.serverOK && a.serverOK && b.serverOK {
		const mb = 1 << 20
		rep.ServerCPUPct = report.Round(procstat.CPUPercent(a.server, b.server, wall), 1)
		rep.ServerRSSMB = report.Round(float64(b.server.RSS)/mb, 1)
		rep.ServerRSSBaseMB = report.Round(float64(before.server.RSS)/mb, 1)
		if a.connected > 0 {
			growth := float64(int64(a.server.RSS) - int64(before.server.RSS))
			rep.ServerRSSPerBotKB = report.Round(growth/float64(a.connected)/1024, 1)
		}
	}
	if before.self.RSS > 0 && b.self.RSS > 0 {
		const mb = 1 << 20
		rep.BotsRSSMB = report.Round(float64(b.self.RSS)/mb, 1)
		if a.connected > 0 {
			growth := float64(int64(a.self.RSS) - int64(before.self.RSS))
			rep.BotsRSSPerBotKB = report.Round(growth/float64(a.connected)/1024, 1)
		}
	}
	if a.systemOK && b.systemOK && secs > 0 {
		// Whatever else ran on the machine competed with the server and the
		// bots: a high figure means the run's numbers are pessimistic.
		all := 100 * float64(b.system-a.system) / float64(wall)
		rep.OtherCPUPct = report.Round(max(all-rep.ServerCPUPct-rep.BotsCPUPct, 0), 1)
	}
	rep.BotsBottleneck = botsBottleneck(rep, tg.proc != nil)
	rep.WindowTruncated = w.truncated
	rep.SnapshotP99LimitMs, rep.ServerTickP99LimitMs = keepUpLimits(tickRate, snapRate)
	rep.KeepUpMisses = judge(rep)
	for _, m := range rep.KeepUpMisses {
		rep.NotKeptUp = append(rep.NotKeptUp, m.String())
	}
	rep.KeptUp = len(rep.KeepUpMisses) == 0
	return rep
}

// keepUpLimits returns the snapshot interval p99 and server tick p99 a run
// may reach and still keep up, in milliseconds.
func keepUpLimits(tickRate, snapRate int) (snapshotMs, tickMs float64) {
	ms := float64(time.Second / time.Millisecond)
	return report.Round(maxSnapshotP99Periods*ms/float64(snapRate), 3), report.Round(maxTickP99Intervals*ms/float64(tickRate), 3)
}

// judge returns the keep-up criteria rep failed, in a fixed order, or
// nothing if it kept up. rep's limits must be set.
func judge(rep *report.Report) []report.Miss {
	var why []report.Miss
	switch {
	case rep.SnapshotsPerBotS == 0:
		why = append(why, report.Miss{Criterion: report.CriterionNoSnapshots})
	case rep.SnapshotIntervalMs.P99 > rep.SnapshotP99LimitMs:
		why = append(why, report.Miss{Criterion: report.CriterionSnapshotInterval, Value: rep.SnapshotIntervalMs.P99, Limit: rep.SnapshotP99LimitMs})
	}
	switch {
	case rep.Floor:
		// The floor has no tick to time and no /metrics: its snapshot
		// interval is the whole of its keeping up.
	case !rep.ServerMetrics:
		why = append(why, report.Miss{Criterion: report.CriterionTickUnknown})
	case rep.ServerTickMs.P99 > rep.ServerTickP99LimitMs:
		why = append(why, report.Miss{Criterion: report.CriterionServerTick, Value: rep.ServerTickMs.P99, Limit: rep.ServerTickP99LimitMs})
	}
	if rep.WindowTruncated {
		why = append(why, report.Miss{Criterion: report.CriterionOverran})
	}
	if rep.Errors > 0 {
		why = append(why, report.Miss{Criterion: report.CriterionErrors, Value: float64(rep.Errors)})
	}
	return why
}

// saturatedShare is the share of all cores in use above which the machine
// counts as saturated.
const saturatedShare = 0.9

// botsBottleneck reports whether the machine's cores were saturated while
// the bots used more of them than the server: then the bots, not the server,
// limited the run, and its figures say little about the server.
func botsBottleneck(rep *report.Report, serverMeasured bool) bool {
	if !serverMeasured {
		return false
	}
	used := rep.BotsCPUPct + rep.ServerCPUPct + rep.OtherCPUPct
	return used >= saturatedShare*100*float64(runtime.NumCPU()) && rep.BotsCPUPct > rep.ServerCPUPct
}
