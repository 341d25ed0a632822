package web

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec encodes a session's deadline and values: with gob, scs's
// default (37–44 CPU-µs and 220 allocations a signed-in request against
// 0.7–1.7 µs and 7, BenchmarkSessionCodec), the dashboard's p99 was
// 2.5–5.1 s against 0.87–2.4 s alternated at load 37–47 (BENCHMARKS.md,
// issue 13). Values that are not all int64, string or bool go to gob, and
// Decode reads both.
//
// Layout: "vc1", the deadline in Unix nanoseconds (varint), the number of
// values (uvarint), then per value in key order its key (uvarint length,
// bytes) and a type byte ('i' int64 varint, 's' string with uvarint
// length, 't' true, 'f' false).
type sessionCodec struct{}

var sessionMagic = []byte("vc1")

// maxSessionValues bounds what Decode accepts (a corrupt row must not
// make it allocate much).
const maxSessionValues = 1024

func (sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	if y := deadline.Year(); y < 1700 || y > 2200 { // beyond int64 nanoseconds
		return scs.GobCodec{}.Encode(deadline, values)
	}
	keys := make([]string, 0, len(values))
	for k, v := range values {
		switch v.(type) {
		case int64, string, bool:
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := append([]byte(nil), sessionMagic...)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		switch v := values[k].(type) {
		case int64:
			b = append(b, 'i')
			b = binary.AppendVarint(b, v)
		case string:
			b = append(b, 's')
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case bool:
			if v {
				b = append(b, 't')
			} else {
				b = append(b, 'f')
			}
		}
	}
	return b, nil
}

var errSessionData = errors.New("malformed session data")

func (sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) < len(sessionMagic) || string(b[:len(sessionMagic)]) != string(sessionMagic) {
		return scs.GobCodec{}.Decode(b)
	}
	r := sessionReader{b: b[len(sessionMagic):]}
	nanos := r.varint()
	n := r.uvarint()
	if r.err != nil || n > maxSessionValues {
		return time.Time{}, nil, errSessionData
	}
	values := make(map[string]any, n)
	for range n {
		k := string(r.bytes(r.uvarint()))
		switch r.byte() {
		case 'i':
			values[k] = r.varint()
		case 's':
			values[k] = string(r.bytes(r.uvarint()))
		case 't':
			values[k] = true
		case 'f':
			values[k] = false
		default:
			r.fail()
		}
		if r.err != nil {
			return time.Time{}, nil, r.err
		}
	}
	if len(r.b) != 0 {
		return time.Time{}, nil, fmt.Errorf("%w: %d bytes after the values", errSessionData, len(r.b))
	}
	return time.Unix(0, nanos).UTC(), values, nil
}

// sessionReader reads the compact layout; the first problem sticks.
type sessionReader struct {
	b   []byte
	err error
}

func (r *sessionReader) fail() {
	if r.err == nil {
		r.err = errSessionData
	}
	r.b = nil
}

func (r *sessionReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}
