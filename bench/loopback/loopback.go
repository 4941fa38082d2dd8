package loopback

import (
	"errors"
	"fmt"
	"net"
	"net/url"
)

// ErrNotLoopback is wrapped by every refusal.
var ErrNotLoopback = errors.New("loopback: not a loopback address")

// CheckHost accepts only loopback IP addresses and "localhost".
func CheckHost(host string) error {
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q", ErrNotLoopback, host)
	}
	return nil
}

// CheckURL accepts only a ws:// URL on a loopback host: wss would need a
// certificate for a loopback name, which no server here has.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: url: %w", ErrNotLoopback, err)
	}
	if u.Scheme != "ws" {
		return fmt.Errorf("%w: url %q: scheme must be ws", ErrNotLoopback, raw)
	}
	if err := CheckHost(u.Hostname()); err != nil {
		return fmt.Errorf("url %q: %w", raw, err)
	}
	return nil
}
