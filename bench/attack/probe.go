package attack

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/skirmish-game/skirmish/bench/procstat"
)

// sampleEvery is how often the server's RSS and open files are read: often
// enough to catch a peak that a ping flood builds in a few seconds.
const sampleEvery = 100 * time.Millisecond

// usage is the server process's resident set and open files at one time.
type usage struct {
	RSS uint64 // bytes
	FDs int
}

func readUsage(pid int) (usage, error) {
	u, err := procstat.Read(pid)
	if err != nil {
		return usage{}, err
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return usage{}, fmt.Errorf("attack: open files: %w", err)
	}
	return usage{RSS: u.RSS, FDs: len(fds)}, nil
}

// sampler follows the server's usage and keeps its peak. Over maxRSS it
// calls over once, so a row can stop before it takes the machine down.
type sampler struct {
	pid    int
	maxRSS uint64
	over   func()
	stop   context.CancelFunc
	done   chan struct{}

	mu   sync.Mutex
	peak usage
	last usage
}

func startSampler(pid int, maxRSS uint64, over func()) *sampler {
	ctx, cancel := context.WithCancel(context.Background())
	s := &sampler{pid: pid, maxRSS: maxRSS, over: over, stop: cancel, done: make(chan struct{})}
	go s.loop(ctx)
	return s
}

func (s *sampler) loop(ctx context.Context) {
	defer close(s.done)
	ticker := time.NewTicker(sampleEvery)
	defer ticker.Stop()
	tripped := false
	for {
		if u, err := readUsage(s.pid); err == nil {
			s.mu.Lock()
			s.last = u
			s.peak.RSS, s.peak.FDs = max(s.peak.RSS, u.RSS), max(s.peak.FDs, u.FDs)
			s.mu.Unlock()
			if !tripped && s.maxRSS > 0 && u.RSS > s.maxRSS {
				tripped = true
				s.over()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// finish stops sampling and returns the peak and the last reading.
func (s *sampler) finish() (peak, last usage) {
	s.stop()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.last
}

// page is what one read of /metrics shows.
type page struct {
	ok       bool
	bytes    int
	series   int            // sample lines
	closes   map[string]int // skirmish_connections_closed_total by code
	opened   int            // skirmish_connections_opened_total
	rooms    int
	players  int
	statusOK int // HTTP status of the scrape, for a server that moved or refused it
}

const (
	closedMetric = "skirmish_connections_closed_total"
	openedMetric = "skirmish_connections_opened_total"
	roomsMetric  = "skirmish_rooms"
	playerMetric = "skirmish_players"
	maxPage      = 32 << 20
)

var codeLabel = regexp.MustCompile(`code="([^"]*)"`)

// scrapeMetrics reads /metrics as text, line by line: it needs a few
// counters, the page's size and its number of series, and must not choke on
// a page an attack has blown up.
func scrapeMetrics(ctx context.Context, client *http.Client, url string) page {
	p := page{closes: map[string]int{}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return p
	}
	resp, err := client.Do(req)
	if err != nil {
		return p
	}
	defer resp.Body.Close()
	p.statusOK = resp.StatusCode
	if resp.StatusCode != http.StatusOK {
		return p
	}
	q := parsePage(io.LimitReader(resp.Body, maxPage))
	q.statusOK = p.statusOK
	return q
}

// parsePage reads a text exposition.
func parsePage(r io.Reader) page {
	p := page{closes: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		p.bytes += len(line) + 1
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p.series++
		name, rest, _ := strings.Cut(line, " ")
		metric, _, _ := strings.Cut(name, "{")
		if i := strings.LastIndexByte(line, ' '); i >= 0 {
			rest = line[i+1:]
		}
		v, err := strconv.ParseFloat(rest, 64)
		if err != nil {
			continue
		}
		switch metric {
		case closedMetric:
			if m := codeLabel.FindStringSubmatch(line); m != nil {
				p.closes[m[1]] += int(v)
			}
		case openedMetric:
			p.opened = int(v)
		case roomsMetric:
			p.rooms = int(v)
		case playerMetric:
			p.players = int(v)
		}
	}
	p.ok = sc.Err() == nil
	return p
}

// closesBetween is the close-code counts of b minus a, without zeros.
func closesBetween(a, b page) map[string]int {
	d := map[string]int{}
	for k, v := range b.closes {
		if n := v - a.closes[k]; n > 0 {
			d[k] = n
		}
	}
	return d
}

// health reads /healthz: rooms and players.
func health(ctx context.Context, client *http.Client, url string) (rooms, players int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("attack: healthz: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("attack: healthz: status %d", resp.StatusCode)
	}
	var h struct{ Rooms, Players int }
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return 0, 0, fmt.Errorf("attack: healthz: %w", err)
	}
	return h.Rooms, h.Players, nil
}

// snapshot returns the peak and the last reading so far.
func (s *sampler) snapshot() (peak, last usage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.last
}
