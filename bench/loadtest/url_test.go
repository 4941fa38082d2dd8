package loadtest

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTargetNotice(t *testing.T) {
	tests := []struct {
		name   string
		url    string
		notice bool
	}{
		{name: "child server", url: ""},
		{name: "ipv4 loopback", url: "ws://127.0.0.1:8080/ws"},
		{name: "ipv6 loopback", url: "ws://[::1]:8080/ws"},
		{name: "localhost", url: "wss://localhost/ws"},
		{name: "private network", url: "ws://10.0.0.1:8080/ws", notice: true},
		{name: "named host over tls", url: "wss://staging.example.com/ws", notice: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := targetNotice(tt.url)
			if !tt.notice {
				assert.Empty(t, n)
				return
			}
			assert.Contains(t, n, tt.url)
			assert.Contains(t, n, "not a loopback address")
			assert.NotContains(t, n, "\n", "one line")
		})
	}
}

func TestMetricsURL(t *testing.T) {
	tests := []struct {
		name, ws, want string
	}{
		{name: "ws", ws: "ws://127.0.0.1:8080/ws", want: "http://127.0.0.1:8080/metrics"},
		{name: "wss", ws: "wss://staging.example.com/ws", want: "https://staging.example.com/metrics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.ws)
			require.NoError(t, err)
			assert.Equal(t, tt.want, metricsURL(u))
		})
	}
}

func TestNoticesGoBesideTheProgress(t *testing.T) {
	// The report's writer holds only the report when there is a progress
	// line to put the notice beside.
	var progress, out strings.Builder
	assert.Same(t, &progress, Runner{Progress: &progress}.notices(&out))
	assert.Same(t, &out, Runner{}.notices(&out))
}
