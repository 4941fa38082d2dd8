package netcode

// ProtocolVersion is carried by Hello; a server answers any other value with an
// Error and close code CloseProtocolError.
const ProtocolVersion = 2

// Kind is a message's kind: the first element of every message array.
type Kind uint8

// Message kinds. The values are part of the wire protocol.
const (
	KindHello    Kind = 1 // client -> server, first message
	KindWelcome  Kind = 2 // server -> client, answer to hello
	KindInput    Kind = 3 // client -> server, once per client tick
	KindSnapshot Kind = 4 // server -> client, once per snapshot interval
	KindPing     Kind = 5 // client -> server
	KindPong     Kind = 6 // server -> client
	KindError    Kind = 7 // server -> client, before a close
	KindBoard    Kind = 8 // server -> client, the room's top scores, about once a second
)

// Limits on decoded values. A decoder rejects anything past them before it
// allocates.
const (
	MaxNameLen      = 16   // bytes of a player name
	MaxRoomLen      = 32   // bytes of a room name
	MaxTokenLen     = 64   // bytes of a session token
	MaxTicketLen    = 512  // bytes of a seat ticket: the widest hello with a ticket this long is 659 bytes, within MaxClientFrame
	MaxErrorTextLen = 256  // bytes of an Error's text
	MaxEntities     = 8192 // entities in one snapshot
	MaxBoardEntries = 10
	MaxClientFrame  = 1024 // bytes of any client -> server message once encoded
)

// Hello opens a session. Token is empty for a new player, or the session token
// of a player to resume. Ticket is the seat ticket POST /match gave, or empty
// for a direct join; a hello of 5 elements has none.
type Hello struct {
	_msgpack struct{} `msgpack:",as_array"`
	Kind     Kind
	Version  uint16
	Name     string
	Room     string // empty: the server picks a room with space
	Token    string
	Ticket   string
}

// Welcome answers a Hello.
type Welcome struct {
	_msgpack     struct{} `msgpack:",as_array"`
	Kind         Kind
	PlayerID     uint32
	Room         string
	TickRate     uint16 // simulation ticks per second
	SnapshotRate uint16 // snapshots per second; divides TickRate
	ServerTick   uint32
	Token        string // session token for resuming this player
	WorldW       uint16 // world size in world units
	WorldH       uint16
	Resumed      bool // true when Token resumed an existing player
}

// SnapshotsPerSecond is the rate snapshots come at: SnapshotRate, or TickRate
// when SnapshotRate is 0 (a snapshot every tick). It is what NewReceiver and
// InterpConfig.SnapshotRate take.
func (w Welcome) SnapshotsPerSecond() int {
	if w.SnapshotRate == 0 {
		return int(w.TickRate)
	}
	return int(w.SnapshotRate)
}

// TicksPerSnapshot is the tick distance between consecutive snapshots, at
// least 1: a Welcome with no tick rate, or snapshots faster than ticks, which
// no server sends, still gives a distance a caller can divide by.
func (w Welcome) TicksPerSnapshot() uint32 {
	if snaps := w.SnapshotsPerSecond(); snaps > 0 && int(w.TickRate) >= snaps {
		return uint32(int(w.TickRate) / snaps)
	}
	return 1
}

// Input is one tick of a player's controls, and the client's acknowledgement of
// the newest snapshot it has applied.
type Input struct {
	_msgpack struct{} `msgpack:",as_array"`
	Kind     Kind
	Seq      uint32  // increases by one per input; 0 is never sent
	Move     uint8   // game.MoveUp|MoveDown|MoveLeft|MoveRight
	Aim      float32 // radians in [-2π, 2π]; finite
	Buttons  uint8   // game.ButtonFire
	Ack      uint32  // tick of the newest snapshot applied; 0 = none yet
	// View is how far behind Ack the client drew the other entities when
	// it sampled this input, in 1/ViewScale ticks: the server judges this
	// input's shots against where their targets were then (lag
	// compensation, capped by the game).
	View uint16
}

// ViewScale is Input.View's unit: 1/256 of a tick.
const ViewScale = 256

// Ping asks for a Pong; ClientTime is echoed back untouched.
type Ping struct {
	_msgpack   struct{} `msgpack:",as_array"`
	Kind       Kind
	ClientTime int64 // client clock, microseconds
}

// Pong answers a Ping with the server's clock at the moment it answered.
type Pong struct {
	_msgpack   struct{} `msgpack:",as_array"`
	Kind       Kind
	ClientTime int64  // copied from the Ping
	ServerTime int64  // server clock, microseconds since the server started
	ServerTick uint32 // the room's tick at ServerTime
}

// Error tells the client why it is about to be closed. Code is the WebSocket
// close code that follows.
type Error struct {
	_msgpack struct{} `msgpack:",as_array"`
	Kind     Kind
	Code     uint16
	Text     string
}

// BoardEntry is one line of the scoreboard.
type BoardEntry struct {
	_msgpack struct{} `msgpack:",as_array"`
	ID       uint32
	Name     string
	Score    uint32
	Best     uint32 // the highest score the player has had since it joined
	Bot      bool   // a computer player the server runs to fill the room
}

// Board is the room's top scores, best first, at most MaxBoardEntries.
type Board struct {
	_msgpack struct{} `msgpack:",as_array"`
	Kind     Kind
	Players  uint16 // players in the room
	Entries  []BoardEntry
}
