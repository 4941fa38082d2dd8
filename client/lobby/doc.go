// Package lobby is the client's side of the fleet's HTTP matchmaking: it asks
// a server's POST /match for a seat (quick play or a named room) and GET
// /rooms for the fleet's servers and rooms, and checks what comes back
// before the game uses it (a seat's URL is dialled, its ticket sent in the
// hello). The same code runs natively and in the browser, where Go's
// net/http goes through the page's fetch.
//
// It is not the matchmaker (that is the server's directory), it holds no
// connection and it knows nothing of Ebiten; client/app shows the room list
// and client/link follows the seats.
package lobby
