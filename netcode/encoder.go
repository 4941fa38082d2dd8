package netcode

// wireEncoder writes msgpack with compact ints into a caller's slice, with
// the append functions of msgpack.go: encoding cannot fail and costs no
// allocation beyond growing the slice.
type wireEncoder struct{ b []byte }

func getEncoder(dst []byte) *wireEncoder { return &wireEncoder{b: dst} }

// finish returns the encoded bytes.
func (e *wireEncoder) finish() []byte { return e.b }

func (e *wireEncoder) arrayLen(n int)    { e.b = appendArrayLen(e.b, n) }
func (e *wireEncoder) uint(v uint64)     { e.b = appendUint(e.b, v) }
func (e *wireEncoder) int(v int64)       { e.b = appendInt(e.b, v) }
func (e *wireEncoder) float32(v float32) { e.b = appendFloat32(e.b, v) }
func (e *wireEncoder) bool(v bool)       { e.b = appendBool(e.b, v) }
func (e *wireEncoder) str(v string)      { e.b = appendStr(e.b, v) }
func (e *wireEncoder) kind(k Kind)       { e.uint(uint64(k)) }
