// Package page is the client's view of the web page it runs in, under
// js/wasm: the URL's query parameters, the same-origin WebSocket URL, and the
// scene name it publishes on <body data-state> and in the title so that a
// browser test can wait for "playing". On the desktop every function is a
// no-op.
package page
