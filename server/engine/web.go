package engine

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// notBuilt is what "/" says when the web client has not been built.
const notBuilt = `<!doctype html>
<title>Skirmish server</title>
<h1>Skirmish server is running</h1>
<p>The web client is not built. From the repository root run <code>make web</code>
(it writes index.html, wasm_exec.js and client.wasm to build/web), then restart the
server, or point it at the files with <code>-web DIR</code> (env SKIRMISH_WEB).</p>
<p>Game clients connect to <code>/ws</code>; see also <a href="/healthz">/healthz</a>
and <a href="/metrics">/metrics</a>.</p>
`

// webHandler serves the built web client from dir, client.wasm precompressed
// when client.wasm.gz exists and the browser takes gzip. It looks at the
// directory on each request, so building the client needs no restart.
type webHandler struct {
	dir   string
	files http.Handler
}

func newWebHandler(dir string) *webHandler {
	return &webHandler{dir: dir, files: http.FileServer(http.Dir(dir))}
}

func (h *webHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, err := os.Stat(filepath.Join(h.dir, "index.html")); err != nil {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(notBuilt)) // a failed write means the client went away
		return
	}
	if r.URL.Path == "/client.wasm" {
		w.Header().Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) && h.serveGzip(w, r, "client.wasm", "application/wasm") {
			return
		}
	}
	h.files.ServeHTTP(w, r)
}

// serveGzip serves name.gz as name with Content-Encoding gzip, if it exists.
func (h *webHandler) serveGzip(w http.ResponseWriter, r *http.Request, name, contentType string) bool {
	f, err := os.Open(filepath.Join(h.dir, name+".gz"))
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		return false
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Type", contentType)
	http.ServeContent(w, r, name, st.ModTime(), f)
	return true
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip (and
// does not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
