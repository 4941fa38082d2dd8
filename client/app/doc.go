// Package app is the Skirmish client as an Ebiten game: its Config, the Game
// with its scenes (the lobby, which is the connect form beside the fleet's
// room list; playing; dead), the menu over them (menu.go, pause.go) with the
// Settings it remembers (settings*.go), the feedback of the fight
// (feedback.go: kill feed, hit markers, flash, death summary; sounds.go: when
// and where each sound plays), the reconnect overlay, and the hooks the
// end-to-end tests drive (autoplay, screenshot, the page's data-state,
// data-feed and data-hits).
//
// Some of its files are pure and import no Ebiten, so their tests need no
// window: control.go turns the held keys into an input, autopilot.go scripts
// one for demos and tests, field.go is the connect screen's text fields,
// roomlist.go the lobby's pick of a room, seat.go the fleet's matchmaking
// as the link and the lobby use it (client/lobby does the HTTP),
// meter.go measures the traffic the HUD shows, stick.go turns a thumb's or
// a gamepad stick's offset into directions and aim, and page*.go is the web page
// the client runs in under js/wasm (the URL's parameters, the same-origin
// WebSocket URL, the scene published on <body data-state>; no-ops on the
// desktop). Reading Ebiten's keyboard, mouse, touches and gamepads (input.go,
// touch.go) and drawing happen in the other files.
//
// The netcode lives in client/match and client/link, the drawing in
// client/render; this package wires them to Ebiten's loop.
package app
