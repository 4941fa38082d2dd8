package loopback

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		ok   bool
	}{
		{name: "ipv4 loopback", url: "ws://127.0.0.1:8080/ws", ok: true},
		{name: "other loopback address", url: "ws://127.8.9.10:8080/ws", ok: true},
		{name: "ipv6 loopback", url: "ws://[::1]:8080/ws", ok: true},
		{name: "localhost", url: "ws://localhost:8080/ws", ok: true},
		{name: "private network", url: "ws://192.168.1.2:8080/ws"},
		{name: "public address", url: "ws://8.8.8.8/ws"},
		{name: "host name", url: "ws://example.com/ws"},
		{name: "all interfaces", url: "ws://0.0.0.0:8080/ws"},
		{name: "wss", url: "wss://127.0.0.1/ws"},
		{name: "not a url", url: "ws://%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckURL(tt.url)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrNotLoopback)
		})
	}
}

func TestCheckHost(t *testing.T) {
	tests := []struct {
		name string
		host string
		ok   bool
	}{
		{name: "ipv4 loopback", host: "127.0.0.2", ok: true},
		{name: "ipv6 loopback", host: "::1", ok: true},
		{name: "localhost", host: "localhost", ok: true},
		{name: "another name for it", host: "localhost.localdomain"},
		{name: "empty", host: ""},
		{name: "private network", host: "10.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckHost(tt.host)
			if tt.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrNotLoopback)
		})
	}
}
