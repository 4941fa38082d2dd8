//go:build !js

package page

import "net/url"

// InBrowser reports whether the client runs in a web page.
func InBrowser() bool { return false }

// Query returns nothing outside a browser.
func Query() url.Values { return url.Values{} }

// WebSocketURL is empty outside a browser: the -server flag says where to go.
func WebSocketURL() string { return "" }

// SetState does nothing outside a browser: the window title stays as set.
func SetState(string) {}
