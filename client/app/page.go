package app

// pageTitle is the window and page title; the scene name is appended in the
// browser.
const pageTitle = "Skirmish"

// loadingID is the id of index.html's "loading…" element, removed once the
// game runs.
const loadingID = "loading"
