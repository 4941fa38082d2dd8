package engine

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, h http.Handler, path string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHealthAndMetrics(t *testing.T) {
	ts := startServer(t, testConfig(t))
	c := dial(t, ts.addr)
	c.hello("hp", "health", "")

	resp, err := http.Get("http://" + ts.addr + "/healthz")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var health struct {
		Status         string
		Rooms, Players int
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&health))
	assert.Equal(t, "ok", health.Status)
	assert.Equal(t, 1, health.Rooms)
	assert.Equal(t, 1, health.Players)

	rec := get(t, ts.Handler(), "/metrics", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	for _, name := range []string{
		"skirmish_tick_duration_seconds_bucket", "skirmish_tick_overruns_total", "skirmish_rooms 1", "skirmish_players 1",
		"skirmish_connections_opened_total", "skirmish_connections_closed_total", "skirmish_bytes_in_total",
		"skirmish_bytes_out_total", "skirmish_messages_in_total", "skirmish_messages_out_total",
		"skirmish_inputs_dropped_total", "skirmish_snapshots_skipped_total", "skirmish_slow_client_kicks_total",
		"skirmish_decode_errors_total", "go_goroutines", "process_cpu_seconds_total",
	} {
		assert.Contains(t, body, name)
	}
}

func TestWebClient(t *testing.T) {
	wasm := bytes.Repeat([]byte("\x00asm wasm bytes "), 100)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(wasm)
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	built := t.TempDir()
	for name, data := range map[string][]byte{
		"index.html":     []byte("<!doctype html><title>Skirmish</title>"),
		"wasm_exec.js":   []byte("// go wasm glue"),
		"client.wasm":    wasm,
		"client.wasm.gz": gz.Bytes(),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(built, name), data, 0o644))
	}
	gzipOK := http.Header{"Accept-Encoding": {"br, gzip;q=0.8"}}

	tests := []struct {
		name     string
		dir      string
		path     string
		header   http.Header
		code     int
		ctype    string
		encoding string
		body     []byte
		contains string
	}{
		{name: "not built explains make web", dir: filepath.Join(built, "missing"), path: "/", code: http.StatusServiceUnavailable, ctype: "text/html; charset=utf-8", contains: "make web"},
		{name: "not built, other paths", dir: filepath.Join(built, "missing"), path: "/client.wasm", code: http.StatusNotFound},
		{name: "index", dir: built, path: "/", code: http.StatusOK, ctype: "text/html; charset=utf-8", contains: "Skirmish"},
		{name: "wasm_exec.js", dir: built, path: "/wasm_exec.js", code: http.StatusOK, contains: "go wasm glue"},
		{name: "wasm gzipped", dir: built, path: "/client.wasm", header: gzipOK, code: http.StatusOK, ctype: "application/wasm", encoding: "gzip", body: gz.Bytes()},
		{name: "wasm plain without gzip", dir: built, path: "/client.wasm", code: http.StatusOK, ctype: "application/wasm", body: wasm},
		{name: "wasm plain when gzip refused", dir: built, path: "/client.wasm", header: http.Header{"Accept-Encoding": {"gzip;q=0"}}, code: http.StatusOK, ctype: "application/wasm", body: wasm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.WebDir = tt.dir
			s, err := New(cfg, testLogger())
			require.NoError(t, err)
			rec := get(t, s.Handler(), tt.path, tt.header)
			require.Equal(t, tt.code, rec.Code)
			if tt.ctype != "" {
				assert.Equal(t, tt.ctype, rec.Header().Get("Content-Type"))
			}
			assert.Equal(t, tt.encoding, rec.Header().Get("Content-Encoding"))
			body, err := io.ReadAll(rec.Body)
			require.NoError(t, err)
			if tt.body != nil {
				assert.Equal(t, tt.body, body)
			}
			assert.True(t, strings.Contains(string(body), tt.contains))
		})
	}
}
