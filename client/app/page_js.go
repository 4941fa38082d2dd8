package app

import (
	"net/url"
	"strconv"
	"syscall/js"
)

// inBrowser reports whether the client runs in a web page.
func inBrowser() bool { return true }

// pageQuery returns the page URL's query parameters.
func pageQuery() url.Values {
	q, err := url.ParseQuery(trimQuestion(js.Global().Get("location").Get("search").String()))
	if err != nil {
		return url.Values{}
	}
	return q
}

// pageWebSocketURL is the page's own origin's /ws, over wss:// when the page came
// over https://.
func pageWebSocketURL() string {
	loc := js.Global().Get("location")
	scheme := "ws://"
	if loc.Get("protocol").String() == "https:" {
		scheme = "wss://"
	}
	return scheme + loc.Get("host").String() + "/ws"
}

// publishState publishes the scene: <body data-state="..."> and the title. The
// first call also removes the loading notice.
func publishState(state string) {
	doc := js.Global().Get("document")
	if el := doc.Call("getElementById", loadingID); el.Truthy() {
		el.Call("remove")
	}
	if body := doc.Get("body"); body.Truthy() {
		body.Get("dataset").Set("state", state)
	}
	doc.Set("title", pageTitle+" — "+state)
}

// publishKill puts the newest line of the kill feed on <body data-feed>, for
// tests and page scripts: the canvas holds only pixels.
func publishKill(line string) { setBodyData("feed", line) }

// publishHits puts the count of the own shots that landed on <body
// data-hits>.
func publishHits(n int) { setBodyData("hits", strconv.Itoa(n)) }

func setBodyData(key, value string) {
	if body := js.Global().Get("document").Get("body"); body.Truthy() {
		body.Get("dataset").Set(key, value)
	}
}

func trimQuestion(s string) string {
	if len(s) > 0 && s[0] == '?' {
		return s[1:]
	}
	return s
}
