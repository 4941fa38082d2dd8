package netcode

import "fmt"

// Append appends the msgpack encoding of m to dst and returns the extended
// slice. m is a Hello, Welcome, Input, Ping, Pong, Error, Board or Delta, as a
// value or a pointer. A zero Kind field is taken as the type's kind; any other
// wrong Kind is an error. m is validated as its decoder would, so Append never
// produces a frame the peer rejects (Hello.Version aside).
//
// The bytes are those of msgpack's reflective encoding of the as_array struct
// with UseCompactInts(true) (a test holds the two together), written field by
// field so that encoding costs no allocation beyond growing dst.
func Append(dst []byte, m any) ([]byte, error) {
	switch m := m.(type) {
	case *Hello:
		return appendHello(dst, m)
	case Hello:
		return appendHello(dst, &m)
	case *Welcome:
		return appendWelcome(dst, m)
	case Welcome:
		return appendWelcome(dst, &m)
	case *Input:
		return appendInput(dst, m)
	case Input:
		return appendInput(dst, &m)
	case *Ping:
		return appendPing(dst, m)
	case Ping:
		return appendPing(dst, &m)
	case *Pong:
		return appendPong(dst, m)
	case Pong:
		return appendPong(dst, &m)
	case *Error:
		return appendError(dst, m)
	case Error:
		return appendError(dst, &m)
	case *Board:
		return appendBoard(dst, m)
	case Board:
		return appendBoard(dst, &m)
	case *Delta:
		return AppendDelta(dst, m), nil
	case Delta:
		return AppendDelta(dst, &m), nil
	}
	return dst, fmt.Errorf("%w: cannot encode %T", ErrUnknownKind, m)
}

// checkKind accepts the type's own kind, or 0 for "fill it in".
func checkKind(got, want Kind) error {
	if got != 0 && got != want {
		return fmt.Errorf("%w: kind field %d on a message of kind %d", ErrInvalidValue, got, want)
	}
	return nil
}

func appendHello(dst []byte, m *Hello) ([]byte, error) {
	if err := checkKind(m.Kind, KindHello); err != nil {
		return dst, err
	}
	if err := validateHello(m); err != nil {
		return dst, err
	}
	e := getEncoder(dst)
	e.arrayLen(helloLen)
	e.kind(KindHello)
	e.uint(uint64(m.Version))
	e.str(m.Name)
	e.str(m.Room)
	e.str(m.Token)
	e.str(m.Ticket)
	return e.finish(), nil
}

func appendWelcome(dst []byte, m *Welcome) ([]byte, error) {
	if err := checkKind(m.Kind, KindWelcome); err != nil {
		return dst, err
	}
	if err := validateWelcome(m); err != nil {
		return dst, err
	}
	e := getEncoder(dst)
	e.arrayLen(welcomeLen)
	e.kind(KindWelcome)
	e.uint(uint64(m.PlayerID))
	e.str(m.Room)
	e.uint(uint64(m.TickRate))
	e.uint(uint64(m.SnapshotRate))
	e.uint(uint64(m.ServerTick))
	e.str(m.Token)
	e.uint(uint64(m.WorldW))
	e.uint(uint64(m.WorldH))
	e.bool(m.Resumed)
	return e.finish(), nil
}

func appendInput(dst []byte, m *Input) ([]byte, error) {
	if err := checkKind(m.Kind, KindInput); err != nil {
		return dst, err
	}
	if err := validateInput(m); err != nil {
		return dst, err
	}
	e := getEncoder(dst)
	e.arrayLen(inputLen)
	e.kind(KindInput)
	e.uint(uint64(m.Seq))
	e.uint(uint64(m.Move))
	e.float32(m.Aim)
	e.uint(uint64(m.Buttons))
	e.uint(uint64(m.Ack))
	e.uint(uint64(m.View))
	return e.finish(), nil
}

func appendPing(dst []byte, m *Ping) ([]byte, error) {
	if err := checkKind(m.Kind, KindPing); err != nil {
		return dst, err
	}
	e := getEncoder(dst)
	e.arrayLen(pingLen)
	e.kind(KindPing)
	e.int(m.ClientTime)
	return e.finish(), nil
}

func appendPong(dst []byte, m *Pong) ([]byte, error) {
	if err := checkKind(m.Kind, KindPong); err != nil {
		return dst, err
	}
	e := getEncoder(dst)
	e.arrayLen(pongLen)
	e.kind(KindPong)
	e.int(m.ClientTime)
	e.int(m.ServerTime)
	e.uint(uint64(m.ServerTick))
	return e.finish(), nil
}

func appendError(dst []byte, m *Error) ([]byte, error) {
	if err := checkKind(m.Kind, KindError); err != nil {
		return dst, err
	}
	if err := validateError(m); err != nil {
		return dst, err
	}
	e := getEncoder(dst)
	e.arrayLen(errorLen)
	e.kind(KindError)
	e.uint(uint64(m.Code))
	e.str(m.Text)
	return e.finish(), nil
}

func appendBoard(dst []byte, m *Board) ([]byte, error) {
	if err := checkKind(m.Kind, KindBoard); err != nil {
		return dst, err
	}
	if err := validateBoard(m); err != nil {
		return dst, err
	}
	e := getEncoder(dst)
	e.arrayLen(boardLen)
	e.kind(KindBoard)
	e.uint(uint64(m.Players))
	e.arrayLen(len(m.Entries))
	for i := range m.Entries {
		be := &m.Entries[i]
		e.arrayLen(boardEntryLen)
		e.uint(uint64(be.ID))
		e.str(be.Name)
		e.uint(uint64(be.Score))
		e.uint(uint64(be.Best))
		e.bool(be.Bot)
	}
	return e.finish(), nil
}
