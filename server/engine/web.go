package engine

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"time"
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
// when client.wasm.gz exists and the browser takes gzip. It opens the
// directory on each request, so building the client needs no restart.
//
// It serves regular files inside dir and nothing else: no directory
// listings, no dotfiles, and no symlink that leads out of dir (os.Root
// refuses those). Every response carries an ETag of its content and
// Cache-Control no-cache, so a reload revalidates the 5 MB client and gets
// 304 Not Modified instead of downloading it again. Each response has
// writeTimeout to be written: a client that does not read cannot hold a
// connection and its file.
type webHandler struct {
	dir          string
	writeTimeout time.Duration
	m            *metrics

	mu    sync.Mutex
	etags map[string]etagEntry // by file name within dir
}

// etagEntry caches a file's ETag while its size and modification time stay.
type etagEntry struct {
	size  int64
	mod   time.Time
	value string
}

func newWebHandler(dir string, writeTimeout time.Duration, m *metrics) *webHandler {
	return &webHandler{dir: dir, writeTimeout: writeTimeout, m: m, etags: make(map[string]etagEntry)}
}

func (h *webHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(h.writeTimeout)) // unsupported only in tests' recorders
	dw := &deadlineWriter{ResponseWriter: w, m: h.m}
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		h.notBuilt(dw, r)
		return
	}
	defer root.Close()
	if _, err := root.Stat("index.html"); err != nil {
		h.notBuilt(dw, r)
		return
	}
	name, ok := fileName(r.URL.Path)
	if !ok {
		http.NotFound(dw, r)
		return
	}
	if name == "client.wasm" {
		dw.Header().Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) && h.serveFile(dw, r, root, name+".gz", name, "application/wasm", "gzip") {
			return
		}
	}
	if !h.serveFile(dw, r, root, name, name, "", "") {
		http.NotFound(dw, r)
	}
}

func (h *webHandler) notBuilt(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte(notBuilt)) // a failed write means the client went away
}

// fileName maps a URL path to a file name within the web directory: "/" is
// index.html; a path with an empty, dot or dot-dot segment, or any segment
// starting with a dot, names nothing.
func fileName(p string) (string, bool) {
	if p == "/" {
		return "index.html", true
	}
	p = strings.TrimPrefix(p, "/")
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || strings.HasPrefix(seg, ".") {
			return "", false
		}
	}
	return path.Clean(p), true
}

// serveFile serves file from root as name, with contentType and
// contentEncoding when not empty; false if it is not a regular file there.
func (h *webHandler) serveFile(w http.ResponseWriter, r *http.Request, root *os.Root, file, name, contentType, contentEncoding string) bool {
	f, err := root.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	etag, err := h.etag(file, st, f)
	if err != nil {
		return false
	}
	hd := w.Header()
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("X-Content-Type-Options", "nosniff")
	if contentType != "" {
		hd.Set("Content-Type", contentType)
	}
	if contentEncoding != "" {
		hd.Set("Content-Encoding", contentEncoding)
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
	return true
}

// etag is a strong ETag of f's content, hashed once per size and
// modification time.
func (h *webHandler) etag(file string, st fs.FileInfo, f *os.File) (string, error) {
	h.mu.Lock()
	e, ok := h.etags[file]
	h.mu.Unlock()
	if ok && e.size == st.Size() && e.mod.Equal(st.ModTime()) {
		return e.value, nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	value := `"` + base64.RawURLEncoding.EncodeToString(sum.Sum(nil)[:18]) + `"`
	h.mu.Lock()
	h.etags[file] = etagEntry{size: st.Size(), mod: st.ModTime(), value: value}
	h.mu.Unlock()
	return value, nil
}

// deadlineWriter counts a static response cut off by its write deadline. It
// keeps net/http's sendfile path (ReadFrom) and ResponseController (Unwrap).
type deadlineWriter struct {
	http.ResponseWriter
	m   *metrics
	hit bool
}

func (w *deadlineWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.check(err)
	return n, err
}

func (w *deadlineWriter) ReadFrom(r io.Reader) (int64, error) {
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(w.ResponseWriter, r)
	}
	w.check(err)
	return n, err
}

func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *deadlineWriter) check(err error) {
	if err != nil && !w.hit && errors.Is(err, os.ErrDeadlineExceeded) {
		w.hit = true
		w.m.limitHit(limitStaticWrite)
	}
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
