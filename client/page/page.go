package page

// Title is the window and page title; the scene name is appended in the
// browser.
const Title = "Skirmish"

// loadingID is the id of index.html's "loading…" element, removed once the
// game runs.
const loadingID = "loading"
