package engine

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxies decides who a request is from. A request's peer is the TCP
// address; when that peer is a trusted proxy, the client is the nearest
// address in X-Forwarded-For (or, without it, Forwarded) that is not itself a
// trusted proxy, read from the right: every proxy appends the address it saw,
// so only the entries our own proxies wrote can be believed, and whatever a
// client wrote on the left of them cannot be.
type proxies []netip.Prefix

func (p proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, pre := range p {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the address limits count r under.
func (p proxies) clientIP(r *http.Request) string {
	peer := remoteIP(r.RemoteAddr)
	if len(p) == 0 {
		return peer
	}
	a, err := netip.ParseAddr(peer)
	if err != nil || !p.trusted(a) {
		return peer
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(hops[i])
		if err != nil {
			return peer // a garbled hop: trust nothing left of it
		}
		if !p.trusted(h) {
			return h.Unmap().String()
		}
	}
	return peer
}

// forwardedFor lists the hops of X-Forwarded-For, or else of the for=
// parameters of Forwarded (RFC 7239), left to right, as bare addresses.
func forwardedFor(h http.Header) []string {
	var hops []string
	if xff := h.Values("X-Forwarded-For"); len(xff) > 0 {
		for _, line := range xff {
			for _, hop := range strings.Split(line, ",") {
				hops = append(hops, strings.TrimSpace(hop))
			}
		}
		return hops
	}
	for _, line := range h.Values("Forwarded") {
		for _, elem := range strings.Split(line, ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if !ok || !strings.EqualFold(k, "for") {
					continue
				}
				hops = append(hops, forwardedNode(strings.Trim(v, `"`)))
			}
		}
	}
	return hops
}

// forwardedNode strips the port and brackets of a Forwarded node:
// "192.0.2.1:4711", "[2001:db8::1]:80" or "[2001:db8::1]".
func forwardedNode(v string) string {
	if host, _, err := net.SplitHostPort(v); err == nil {
		return host
	}
	return strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
}

// remoteIP is the host part of addr.
func remoteIP(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}
