package engine

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/skirmish-game/skirmish/netcode"
)

// Decode error reasons, the label values of skirmish_decode_errors_total.
const (
	reasonMalformed   = "malformed"
	reasonUnknownKind = "unknown_kind"
	reasonInvalid     = "invalid_value"
	reasonVersion     = "version"
	reasonTooLarge    = "too_large"
	reasonText        = "text_frame"
	reasonNoHello     = "no_hello"
)

// Limits, the label values of skirmish_limit_hits_total: each time one
// refuses something, it is counted under its name.
const (
	limitMessageRate    = "message_rate"     // 4005
	limitConnsPerIP     = "conns_per_ip"     // 4007: WebSockets from one address
	limitConnRatePerIP  = "conn_rate_per_ip" // HTTP 429: new WebSockets per second from one address
	limitSeatsPerIP     = "seats_per_ip"     // 4007: seats one address holds in a room
	limitRoomsPerIP     = "rooms_per_ip"     // 4007: rooms one address has open
	limitRoomRatePerIP  = "room_rate_per_ip" // 4007: rooms one address opened in the last minute
	limitConns          = "conns"            // HTTP 503: every TCP connection of the server
	limitHTTPConns      = "http_conns"       // HTTP 503: connections that are not WebSockets (yet)
	limitHTTPConnsPerIP = "http_conns_per_ip"
	limitOrigin         = "origin"         // HTTP 403
	limitStaticWrite    = "static_timeout" // a static download cut at its write deadline
)

var knownLimits = []string{
	limitMessageRate, limitConnsPerIP, limitConnRatePerIP, limitSeatsPerIP, limitRoomsPerIP,
	limitRoomRatePerIP, limitConns, limitHTTPConns, limitHTTPConnsPerIP, limitOrigin, limitStaticWrite,
}

// closeCodeOther is the close-code label of every code outside
// knownCloseCodes: a peer picks its close code, and each distinct label
// value would be a new series held for the process's life.
const closeCodeOther = "other"

// tickBuckets run from 10µs to 1s, 48 of them in equal ratios (~27% apart):
// a tick's budget is a few milliseconds, and percentiles read from the
// histogram (the bench's keep-up check against half a tick) need buckets
// fine enough around it.
var tickBuckets = prometheus.ExponentialBucketsRange(10e-6, 1, 48)

// inputDelayBuckets are ticks, which inputs wait whole: one bucket each up
// to a few ticks, where the jitter buffer holds them, coarser past it, up to
// a queue far longer than the default InputQueue.
var inputDelayBuckets = []float64{1, 2, 3, 4, 5, 6, 8, 12, 16, 32, 64}

// Close codes counted from the start, so dashboards see zeros, not gaps.
var knownCloseCodes = []uint16{
	netcode.CloseNormal, netcode.CloseGoingAway, netcode.CloseProtocolError, netcode.CloseUnsupported,
	netcode.CloseNoStatus, netcode.CloseAbnormal, netcode.CloseTooBig, netcode.CloseInternal,
	netcode.CloseBadMessage, netcode.CloseUnknownKind, netcode.CloseInvalidValue, netcode.CloseNoHello,
	netcode.CloseHelloTimeout, netcode.CloseRateLimited, netcode.CloseResumeFailed, netcode.CloseTooManyConns,
	netcode.CloseSlowConsumer, netcode.CloseRoomFull, netcode.CloseReplaced,
	netcode.CloseTicketInvalid, netcode.CloseTicketExpired, netcode.CloseTicketUsed, netcode.CloseTicketWrongServer, netcode.CloseTicketRequired,
}

// metrics is one Server's Prometheus collectors on a private registry, so
// several servers (tests) never collide. Label children used on hot paths are
// resolved once here.
type metrics struct {
	reg *prometheus.Registry

	tickDuration     prometheus.Histogram
	tickOverruns     prometheus.Counter
	rooms            prometheus.Gauge
	players          prometheus.Gauge
	connsOpened      prometheus.Counter
	connsClosed      *prometheus.CounterVec
	bytesIn          prometheus.Counter
	bytesOut         prometheus.Counter
	messagesIn       prometheus.Counter
	messagesOut      prometheus.Counter
	inputsDropped    prometheus.Counter
	inputDelay       prometheus.Histogram
	inputCatchUps    prometheus.Counter
	snapshotsSkipped prometheus.Counter
	slowKicks        prometheus.Counter
	decodeErrors     *prometheus.CounterVec
	framesDropped    prometheus.Counter
	roomPanics       prometheus.Counter
	limitHits        *prometheus.CounterVec
	lateDrops        prometheus.Counter

	closeLabels map[uint16]prometheus.Counter // knownCloseCodes' children
}

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		tickDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    MetricTickDuration,
			Help:    "Time one room tick took: simulation, capture, and every client's snapshot encoded and written to its socket (what the socket did not take at once is left to the connection's writer).",
			Buckets: tickBuckets,
		}),
		tickOverruns: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricTickOverruns,
			Help: "Ticks a room dropped because it fell too far behind its schedule.",
		}),
		rooms: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricRooms, Help: "Rooms running.",
		}),
		players: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: MetricPlayers, Help: "Players in rooms, counting those in their resume grace.",
		}),
		connsOpened: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricConnsOpened, Help: "WebSocket connections upgraded.",
		}),
		connsClosed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricConnsClosed, Help: "WebSocket connections closed, by close code.",
		}, []string{MetricLabelCode}),
		bytesIn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricBytesIn, Help: "Payload bytes of client messages.",
		}),
		bytesOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricBytesOut, Help: "Payload bytes of server messages written.",
		}),
		messagesIn: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricMessagesIn, Help: "Client messages received.",
		}),
		messagesOut: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricMessagesOut, Help: "Server messages written.",
		}),
		inputsDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricInputsDropped, Help: "Inputs dropped: a full room inbox or player input queue, or a stale sequence number.",
		}),
		inputDelay: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    MetricInputDelay,
			Help:    "Ticks an input waited in its player's queue before it was applied (two are applied in a catch-up tick): 1 = on the first tick after it arrived.",
			Buckets: inputDelayBuckets,
		}),
		inputCatchUps: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricInputCatchUps,
			Help: "Player ticks on which two queued inputs were applied one after the other, to bring the player's input delay back to its target.",
		}),
		snapshotsSkipped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricSnapshotsSkipped, Help: "Snapshots not sent because the client's send queue was over its cap.",
		}),
		slowKicks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricSlowClientKicks, Help: "Connections closed for staying behind (4008).",
		}),
		decodeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricDecodeErrors, Help: "Client frames rejected, by reason.",
		}, []string{MetricLabelReason}),
		framesDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricFramesDropped, Help: "Server messages other than snapshots dropped on a full send queue.",
		}),
		roomPanics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricRoomPanics, Help: "Panics recovered in a room goroutine.",
		}),
		limitHits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricLimitHits, Help: "Connections, requests, rooms or seats refused by a limit, by limit.",
		}, []string{MetricLabelLimit}),
		lateDrops: prometheus.NewCounter(prometheus.CounterOpts{
			Name: MetricLateFrameDrops, Help: "Connections dropped right after their close frame for sending on after their close was decided.",
		}),
		closeLabels: make(map[uint16]prometheus.Counter, len(knownCloseCodes)),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.tickDuration, m.tickOverruns, m.rooms, m.players, m.connsOpened, m.connsClosed,
		m.bytesIn, m.bytesOut, m.messagesIn, m.messagesOut, m.inputsDropped, m.inputDelay, m.inputCatchUps,
		m.snapshotsSkipped, m.slowKicks, m.decodeErrors, m.framesDropped, m.roomPanics, m.limitHits, m.lateDrops,
	)
	for _, code := range knownCloseCodes {
		m.closeLabels[code] = m.connsClosed.WithLabelValues(strconv.Itoa(int(code)))
	}
	m.connsClosed.WithLabelValues(closeCodeOther)
	for _, l := range knownLimits {
		m.limitHits.WithLabelValues(l)
	}
	for _, r := range []string{reasonMalformed, reasonUnknownKind, reasonInvalid, reasonVersion, reasonTooLarge, reasonText, reasonNoHello} {
		m.decodeErrors.WithLabelValues(r)
	}
	return m
}

func (m *metrics) closed(code uint16) {
	if c, ok := m.closeLabels[code]; ok {
		c.Inc()
		return
	}
	m.connsClosed.WithLabelValues(closeCodeOther).Inc()
}

// limitHit counts one refusal by limit, one of knownLimits.
func (m *metrics) limitHit(limit string) { m.limitHits.WithLabelValues(limit).Inc() }

func (m *metrics) decodeError(reason string) {
	m.decodeErrors.WithLabelValues(reason).Inc()
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
