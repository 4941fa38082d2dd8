package lobby

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Named defaults for Client.
const (
	// DefaultTimeout bounds one request, answer included: the lobby waits on
	// it, and a server that takes longer is as good as down.
	DefaultTimeout = 5 * time.Second
	// maxSeatBytes and maxFleetBytes cap what is read of an answer, before
	// it is decoded: a fleet of a few hundred servers with a few thousand
	// rooms fits in the latter many times over.
	maxSeatBytes  = 16 << 10
	maxFleetBytes = 4 << 20
	maxErrorBytes = 1 << 10
)

// Paths of the fleet's HTTP endpoints on every server.
const (
	MatchPath = "/match"
	RoomsPath = "/rooms"
)

var (
	// ErrUnavailable: the server has no matchmaking (404 or 405: an older
	// server, or one outside a fleet). The client then joins directly.
	ErrUnavailable = errors.New("lobby: matchmaking unavailable")
	// ErrBadAnswer: a 2xx answer that is not what the contract says.
	ErrBadAnswer = errors.New("lobby: bad answer")
)

// StatusError is a refusal with the server's reason: 503 when no server can
// take a seat, 400 for a request it cannot read, 429 when rate-limited.
type StatusError struct {
	Status int
	Text   string // the answer's {"error": ...}, or the status text
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("lobby: %s (%d)", e.Text, e.Status)
}

// Client asks one server. The zero HTTP is a plain http.Client.
type Client struct {
	Base    string // the server's http:// or https:// origin
	HTTP    *http.Client
	Timeout time.Duration // per request; 0 is DefaultTimeout
}

// Match asks for a seat; an empty req is quick play.
func (c Client) Match(ctx context.Context, req Request) (Seat, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return Seat{}, fmt.Errorf("lobby: encode request: %w", err)
	}
	data, err := c.do(ctx, http.MethodPost, MatchPath, body, maxSeatBytes)
	if err != nil {
		return Seat{}, err
	}
	return DecodeSeat(data)
}

// Rooms lists the fleet's servers and rooms.
func (c Client) Rooms(ctx context.Context) (Fleet, error) {
	data, err := c.do(ctx, http.MethodGet, RoomsPath, nil, maxFleetBytes)
	if err != nil {
		return Fleet{}, err
	}
	return DecodeFleet(data)
}

// do sends one request and returns a 2xx answer's body, read up to limit
// bytes; anything past it is an error, not a silently cut document.
func (c Client) do(ctx context.Context, method, path string, body []byte, limit int64) ([]byte, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.Base, "/")+path, rd)
	if err != nil {
		return nil, fmt.Errorf("lobby: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("lobby: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return nil, fmt.Errorf("%w: %s %s answered %d", ErrUnavailable, method, path, resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, refusal(resp)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("lobby: %s %s: %w", method, path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s answer over %d bytes", ErrBadAnswer, path, limit)
	}
	return data, nil
}

// refusal reads a non-2xx answer's {"error": ...}, falling back on the
// status text when the body says nothing usable.
func refusal(resp *http.Response) error {
	e := &StatusError{Status: resp.StatusCode, Text: http.StatusText(resp.StatusCode)}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes)) // the status alone is enough
	var body struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(data, &body) == nil && body.Error != "" {
		e.Text = oneLine(body.Error)
	}
	if e.Text == "" {
		e.Text = "refused"
	}
	return e
}

// oneLine keeps a server's text to one short printable line for a banner.
func oneLine(s string) string {
	const max = 120
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "")
	}
	return s
}

// HTTPBase is the http(s) origin of a server from its ws(s):// game URL:
// where its /match and /rooms are.
func HTTPBase(wsURL string) (string, error) {
	u, err := url.Parse(wsURL)
	if err != nil {
		return "", fmt.Errorf("lobby: %w", err)
	}
	switch u.Scheme {
	case "ws":
		u.Scheme = "http"
	case "wss":
		u.Scheme = "https"
	default:
		return "", fmt.Errorf("lobby: %q is not a ws:// or wss:// URL", wsURL)
	}
	if u.Host == "" {
		return "", fmt.Errorf("lobby: %q has no host", wsURL)
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String(), nil
}
