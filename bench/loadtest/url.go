package loadtest

import (
	"fmt"
	"net/url"

	"github.com/skirmish-game/skirmish/bench/loopback"
)

// checkURL accepts any ws:// or wss:// URL with a host: an operator may load
// their own staging server. Only the attack replay stays on loopback
// (bench/attack), because that one is an attack.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("url: %w", err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return fmt.Errorf("url %q: scheme must be ws or wss", raw)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("url %q: no host", raw)
	}
	return nil
}

// checkMetricsURL accepts any http:// or https:// URL with a host, as
// checkURL does for the game's: the metrics may be on another port or host.
func checkMetricsURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("metrics url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("metrics url %q: scheme must be http or https", raw)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("metrics url %q: no host", raw)
	}
	return nil
}

// targetNotice is the line the bench prints before loading a server that is
// not on this machine, so that a mistyped -url is seen at once; it is empty
// for a child server or a loopback URL.
func targetNotice(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || loopback.CheckHost(u.Hostname()) == nil {
		return ""
	}
	return fmt.Sprintf("bench: %s is not a loopback address: loading a remote server at %s", u.Hostname(), raw)
}

// metricsURL is the /metrics address of the server behind a WebSocket URL:
// https for wss, http for ws.
func metricsURL(ws *url.URL) string {
	scheme := "http"
	if ws.Scheme == "wss" {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: ws.Host, Path: metricsPath}).String()
}
