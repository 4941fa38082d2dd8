package loadtest

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/skirmish-game/skirmish/bench/metrics"
	"github.com/skirmish-game/skirmish/server/engine"
)

// scrapeTimeout bounds one /metrics fetch. Scrapes run apart from the
// one-second samples, so a server (or a bench process) too loaded to answer
// quickly delays the server figures but never the samples.
const scrapeTimeout = 10 * time.Second

// scrape is one successful read of the server's metrics.
type scrape struct {
	sample metrics.Sample
	tick   metrics.Histogram
	seq    uint64 // 1, 2, ... in the order they completed
}

// scraper reads /metrics about once a second in its own goroutine and keeps
// the newest result.
type scraper struct {
	url    string
	client *http.Client
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	latest scrape
}

func startScraper(ctx context.Context, url string) *scraper {
	ctx, cancel := context.WithCancel(ctx)
	s := &scraper{url: url, client: &http.Client{}, cancel: cancel, done: make(chan struct{})}
	go s.loop(ctx)
	return s
}

func (s *scraper) loop(ctx context.Context) {
	defer close(s.done)
	ticker := time.NewTicker(sampleEvery)
	defer ticker.Stop()
	for {
		s.once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (s *scraper) once(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, scrapeTimeout)
	defer cancel()
	m, err := metrics.Scrape(ctx, s.client, s.url)
	if err != nil {
		return // a missed scrape shows as a gap; the window uses the nearest good ones
	}
	h, err := m.Histogram(engine.MetricTickDuration)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.latest = scrape{sample: m, tick: h, seq: s.latest.seq + 1}
	s.mu.Unlock()
}

// newer returns the newest scrape if it completed after the one numbered seq.
func (s *scraper) newer(seq uint64) (scrape, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latest, s.latest.seq > seq
}

// stop ends the scraping goroutine and waits for it.
func (s *scraper) stop() {
	s.cancel()
	<-s.done
}
