package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

// profileSlack is how much longer than the profile itself its fetch may take.
const profileSlack = 10 * time.Second

// startProfile fetches a CPU profile of the child server covering about
// length, writing it to cfg.Pprof. It returns nil when no profile is wanted,
// else a channel that yields the outcome once.
func (r Runner) startProfile(ctx context.Context, cfg Config, tg *target, length time.Duration) <-chan error {
	if cfg.Pprof == "" || tg.proc == nil || tg.proc.Pprof == "" {
		return nil
	}
	secs := max(int(length/time.Second), 1)
	u := url.URL{Scheme: "http", Host: tg.proc.Pprof, Path: "/debug/pprof/profile", RawQuery: fmt.Sprintf("seconds=%d", secs)}
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(ctx, time.Duration(secs)*time.Second+profileSlack)
		defer cancel()
		done <- fetchTo(ctx, u.String(), cfg.Pprof)
	}()
	return done
}

func fetchTo(ctx context.Context, src, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return fmt.Errorf("loadtest: profile: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("loadtest: profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("loadtest: profile: status %d", resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("loadtest: profile: %w", err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return fmt.Errorf("loadtest: profile: %w", err)
	}
	return f.Close()
}
