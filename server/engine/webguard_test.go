package engine

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/skirmish-game/skirmish/client/transport"
	"github.com/skirmish-game/skirmish/netcode"
)

func TestStaticFilesStayInside(t *testing.T) {
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret"), []byte("root:x:0:0"), 0o644))
	web := t.TempDir()
	for name, data := range map[string]string{
		"index.html":      "<!doctype html><title>Skirmish</title>",
		"app.js":          "// app",
		".env":            "TOKEN=1",
		"sub/.git/config": "[core]",
		"sub/page.html":   "<p>sub</p>",
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(web, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(web, name), []byte(data), 0o644))
	}
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret"), filepath.Join(web, "passwd")))
	require.NoError(t, os.Symlink(outside, filepath.Join(web, "out")))
	require.NoError(t, os.Symlink("app.js", filepath.Join(web, "alias.js")))

	cfg := testConfig(t)
	cfg.WebDir = web
	s, err := New(cfg, testLogger())
	require.NoError(t, err)
	for _, tt := range []struct {
		name, path string
		code       int
	}{
		{"index", "/", http.StatusOK},
		{"a file", "/app.js", http.StatusOK},
		{"a file below", "/sub/page.html", http.StatusOK},
		{"a symlink that stays inside", "/alias.js", http.StatusOK},
		{"a symlink out of the directory", "/passwd", http.StatusNotFound},
		{"through a symlinked directory", "/out/secret", http.StatusNotFound},
		{"dotfile", "/.env", http.StatusNotFound},
		{"dot directory", "/sub/.git/config", http.StatusNotFound},
		{"directory listing", "/sub/", http.StatusNotFound},
		{"directory without slash", "/sub", http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s.Handler(), tt.path, nil)
			assert.Equal(t, tt.code, rec.Code)
			assert.NotContains(t, rec.Body.String(), "root:x")
		})
	}
	for _, p := range []string{"/../secret", "/sub/../../secret", "//etc/passwd", "/sub/./page.html"} {
		_, ok := fileName(p)
		assert.False(t, ok, "%s names no file (the mux redirects such paths before they get here)", p)
	}
}

func TestStaticFilesRevalidateByETag(t *testing.T) {
	web := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(web, "index.html"), []byte("<!doctype html>"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(web, "client.wasm"), []byte("\x00asm v1"), 0o644))
	cfg := testConfig(t)
	cfg.WebDir = web
	s, err := New(cfg, testLogger())
	require.NoError(t, err)

	first := get(t, s.Handler(), "/client.wasm", nil)
	require.Equal(t, http.StatusOK, first.Code)
	etag := first.Header().Get("ETag")
	require.NotEmpty(t, etag)
	assert.Equal(t, "no-cache", first.Header().Get("Cache-Control"))

	again := get(t, s.Handler(), "/client.wasm", http.Header{"If-None-Match": {etag}})
	assert.Equal(t, http.StatusNotModified, again.Code, "a reload does not download it again")
	assert.Zero(t, again.Body.Len())

	later := time.Now().Add(time.Hour)
	require.NoError(t, os.WriteFile(filepath.Join(web, "client.wasm"), []byte("\x00asm v2"), 0o644))
	require.NoError(t, os.Chtimes(filepath.Join(web, "client.wasm"), later, later))
	rebuilt := get(t, s.Handler(), "/client.wasm", http.Header{"If-None-Match": {etag}})
	assert.Equal(t, http.StatusOK, rebuilt.Code, "a rebuilt client is fetched")
	assert.NotEqual(t, etag, rebuilt.Header().Get("ETag"))
}

func TestStaticDownloadThatIsNotReadIsCut(t *testing.T) {
	web := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(web, "index.html"), []byte("<!doctype html>"), 0o644))
	big := make([]byte, 16<<20) // far more than the socket buffers hold
	_, _ = rand.Read(big)
	require.NoError(t, os.WriteFile(filepath.Join(web, "client.wasm"), big, 0o644))
	cfg := testConfig(t)
	cfg.WebDir = web
	cfg.StaticWriteTimeout = 200 * time.Millisecond
	ts := startServer(t, cfg)

	nc := dialRaw(t, ts.addr, "")
	require.NoError(t, setRecvBuf(nc, 4096))
	_, err := nc.Write([]byte("GET /client.wasm HTTP/1.1\r\nHost: x\r\n\r\n"))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return limitHits(t, ts.Server, limitStaticWrite) == 1 }, waitFor, 10*time.Millisecond,
		"the write deadline cuts the download")
	// The server lets go of the connection (its file and socket) after the
	// graceful close's bounded drain, whatever the client does; what is
	// still in the kernel's buffers is the kernel's.
	require.Eventually(t, func() bool { total, _ := ts.gate.Load().counts(); return total == 0 }, waitFor, 10*time.Millisecond,
		"the connection is let go")
}

func TestAdminListener(t *testing.T) {
	cfg := testConfig(t)
	cfg.AdminAddr = "127.0.0.1:0"
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ts := startServer(t, cfg, func(s *Server) { s.ServeAdminOn(admin) })

	for _, path := range []string{"/metrics", "/healthz"} {
		resp, err := http.Get("http://" + ts.addr + path)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "game port %s", path)

		resp, err = http.Get("http://" + admin.Addr().String() + path)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "admin port %s", path)
	}
	dial(t, ts.addr).hello("p", "", "") // the game is still on the game port
}

func TestTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	cfg := testConfig(t)
	cfg.TLSCert, cfg.TLSKey = certFile, keyFile
	ts := startServer(t, cfg)

	c := &testClient{t: t, msgs: make(chan []byte, 64), release: make(chan struct{})}
	conn, err := transport.Dial(t.Context(), "wss://"+ts.addr+"/ws", transport.Options{
		OnMessage: c.onMessage,
		TLS:       &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"},
	})
	require.NoError(t, err)
	c.conn = conn
	t.Cleanup(conn.Abort)
	w := c.hello("secure", "", "")
	assert.NotZero(t, w.PlayerID)
	_, err = c.next(netcode.KindSnapshot)
	assert.NoError(t, err)

	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := hc.Get("https://" + ts.addr + "/healthz")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their files and a pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "skirmish test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	return certFile, keyFile, pool
}
