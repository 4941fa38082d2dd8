//go:build !js

package app

import "net/url"

// inBrowser reports whether the client runs in a web page.
func inBrowser() bool { return false }

// pageQuery returns nothing outside a browser.
func pageQuery() url.Values { return url.Values{} }

// pageWebSocketURL is empty outside a browser: the -server flag says where to go.
func pageWebSocketURL() string { return "" }

// publishState does nothing outside a browser: the window title stays as set.
func publishState(string) {}

// publishKill does nothing outside a browser.
func publishKill(string) {}

// publishHits does nothing outside a browser.
func publishHits(int) {}
