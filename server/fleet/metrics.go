package fleet

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Names of the fleet's series on /metrics.
const (
	MetricServers        = "skirmish_fleet_servers"       // servers in this server's directory, itself included
	MetricMatches        = "skirmish_fleet_matches_total" // label MetricLabelResult
	MetricAnnounceErrors = "skirmish_fleet_announcements_dropped_total"
	MetricLabelResult    = "result"
)

// Results of POST /match, the values of MetricLabelResult.
const (
	matchOK          = "ok"
	matchBadRequest  = "bad_request"
	matchForbidden   = "forbidden"
	matchRateLimited = "rate_limited"
	matchNoSeat      = "no_seat"
)

type metrics struct {
	matches  *prometheus.CounterVec
	dropped  prometheus.Counter
	servers  prometheus.GaugeFunc
	byResult map[string]prometheus.Counter
	all      []prometheus.Collector
}

func newMetrics(dir *Directory) *metrics {
	m := &metrics{
		matches: prometheus.NewCounterVec(prometheus.CounterOpts{Name: MetricMatches, Help: "POST /match answers, by result."}, []string{MetricLabelResult}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: MetricAnnounceErrors, Help: "Announcements from peers that did not decode."}),
		servers: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: MetricServers, Help: "Servers in this server's view of the fleet, itself included."},
			func() float64 { return float64(len(dir.Live(time.Now()))) }),
		byResult: make(map[string]prometheus.Counter),
	}
	// Every result from the start, so that dashboards see zeros, not gaps.
	for _, r := range []string{matchOK, matchBadRequest, matchForbidden, matchRateLimited, matchNoSeat} {
		m.byResult[r] = m.matches.WithLabelValues(r)
	}
	m.all = []prometheus.Collector{m.matches, m.dropped, m.servers}
	return m
}

func (m *metrics) match(result string) { m.byResult[result].Inc() }

// Collectors are the fleet's series, for engine.Server.RegisterMetrics.
func (n *Node) Collectors() []prometheus.Collector { return n.m.all }
