package netcode

import (
	"sync"

	"github.com/vmihailenco/msgpack/v5"
)

// sliceWriter is the io.Writer under a wireEncoder: it appends to the caller's
// buffer, so encoding needs no intermediate copy and cannot fail.
type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *sliceWriter) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

// wireEncoder writes msgpack with compact ints into a caller's slice. Its
// methods drop msgpack's error results: the only error source is the writer,
// and sliceWriter never fails.
type wireEncoder struct {
	w   sliceWriter
	enc *msgpack.Encoder
}

// encoders recycles wireEncoders: a msgpack.Encoder has no usable zero value,
// and building one per message would cost allocations on the snapshot hot
// path. A pool holds no state a caller can observe.
var encoders = sync.Pool{New: func() any {
	e := &wireEncoder{}
	e.enc = msgpack.NewEncoder(&e.w)
	e.enc.UseCompactInts(true)
	return e
}}

func getEncoder(dst []byte) *wireEncoder {
	e := encoders.Get().(*wireEncoder)
	e.w.b = dst
	return e
}

// finish returns the encoded bytes and recycles e, which must not be used again.
func (e *wireEncoder) finish() []byte {
	b := e.w.b
	e.w.b = nil // do not keep the caller's buffer alive from the pool
	encoders.Put(e)
	return b
}

func (e *wireEncoder) arrayLen(n int)    { _ = e.enc.EncodeArrayLen(n) }
func (e *wireEncoder) uint(v uint64)     { _ = e.enc.EncodeUint(v) }
func (e *wireEncoder) int(v int64)       { _ = e.enc.EncodeInt(v) }
func (e *wireEncoder) float32(v float32) { _ = e.enc.EncodeFloat32(v) }
func (e *wireEncoder) bool(v bool)       { _ = e.enc.EncodeBool(v) }
func (e *wireEncoder) str(v string)      { _ = e.enc.EncodeString(v) }
func (e *wireEncoder) kind(k Kind)       { e.uint(uint64(k)) }
