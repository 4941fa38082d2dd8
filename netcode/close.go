package netcode

// WebSocket close codes the server uses. An Error message with the same code
// comes before the close wherever the connection is still writable.
const (
	CloseNormal        uint16 = 1000
	CloseGoingAway     uint16 = 1001 // server shutting down
	CloseProtocolError uint16 = 1002 // wrong protocol version
	CloseUnsupported   uint16 = 1003 // a text frame
	CloseTooBig        uint16 = 1009 // a frame over the size limit
	CloseInternal      uint16 = 1011 // a recovered panic

	CloseBadMessage   uint16 = 4000 // not msgpack, truncated, wrong shape, lengths over the caps
	CloseUnknownKind  uint16 = 4001 // a kind the server does not take
	CloseInvalidValue uint16 = 4002 // NaN, infinity or a value out of range
	CloseNoHello      uint16 = 4003 // a message other than hello came first
	CloseHelloTimeout uint16 = 4004 // no hello within the hello timeout
	CloseRateLimited  uint16 = 4005 // inputs over the rate limit
	CloseResumeFailed uint16 = 4006 // a session token that is unknown or expired
	CloseTooManyConns uint16 = 4007 // too many connections from one IP
	CloseSlowConsumer uint16 = 4008 // stayed behind past the send-queue limit
	CloseRoomFull     uint16 = 4009 // the named room is full, or no room could be made
	CloseReplaced     uint16 = 4010 // the same session resumed on another connection

	// Seat tickets (POST /match): a server that requires one, or is handed
	// one, refuses the hello with these.
	CloseTicketInvalid     uint16 = 4011 // not a ticket this fleet signed
	CloseTicketExpired     uint16 = 4012 // past its expiry
	CloseTicketUsed        uint16 = 4013 // already spent on a seat
	CloseTicketWrongServer uint16 = 4014 // for another server or room
	CloseTicketRequired    uint16 = 4015 // this server seats only ticket holders
)

// Close codes a peer observes but that are never sent (RFC 6455 7.4.1): the
// WebSocket library, or the browser, reports them in place of a code, so that
// whoever counts or explains closes names them as it names the others.
const (
	CloseNoStatus uint16 = 1005 // the close frame carried no code
	CloseAbnormal uint16 = 1006 // the connection ended without a close frame
)
