package directory

import (
	"bytes"
	"io"
)

// window is a sliding view of a file for the streaming index builders: data holds the
// file's bytes from offset base on. It is read a megabyte at a time, so that building the
// index of a snapshot of any size costs neither a copy of the file in memory nor the time
// to fault one in.
type window struct {
	r    io.Reader
	buf  []byte
	data []byte
	base int64
	eof  bool // data reaches the end of the file (or a read failed: err)
	err  error
}

const windowSize = 1 << 20

func newWindow(r io.Reader) *window {
	w := &window{r: r, buf: make([]byte, windowSize)}
	w.slide(0, false)
	return w
}

// slide drops the bytes before keep, moves the rest to the front and reads more behind
// them; grow doubles the buffer first. It returns how far the data moved (keep).
func (w *window) slide(keep int, grow bool) int {
	if w.eof {
		return 0
	}
	rest := w.data[keep:]
	if grow {
		nb := make([]byte, 2*len(w.buf))
		w.buf = nb
	}
	n := copy(w.buf, rest)
	w.base += int64(keep)
	for n < len(w.buf) {
		m, err := w.r.Read(w.buf[n:])
		n += m
		if err != nil {
			w.eof = true
			if err != io.EOF {
				w.err = err
			}
			break
		}
	}
	w.data = w.buf[:n]
	return keep
}

// lowWater is how much of the file the builders want ahead of an entry before they scan
// it; an entry longer than that (rare) is retried with a larger window.
const lowWater = 64 << 10

// entrySink takes the entries of a snapshot read in one streaming pass: the persistent
// index's tables, or a batch's packed entries (packed.go). Each returns false to stop the
// pass (the caller then falls back to reading the file whole).
type entrySink interface {
	// jsonEntry takes a scanned JSON entry; base is the file offset of the scanner's data.
	jsonEntry(sc *scanner, e *entry, base int64) bool
	// yamlEntry takes a YAML entry of list l whose line starts at file offset off.
	yamlEntry(l listKind, e *yentry, off int64) bool
	// listDone says that list l is complete.
	listDone(l listKind)
}

// streamJSON walks a JSON snapshot from r in one pass and adds every entry to t. It checks
// what the plain scanner checks, and reports false at the first thing it does not accept:
// then the caller reads the file whole and lets the plain scanner say what is wrong (and
// where), so that the index never changes which files are accepted nor a message.
func streamJSON(r io.Reader, name string, t entrySink) bool {
	w := newWindow(r)
	sc := &scanner{file: name, data: w.data}
	slide := func(keep int, grow bool) {
		sc.pos -= w.slide(keep, grow)
		sc.data = w.data
	}
	ensure := func(n int) {
		if len(sc.data)-sc.pos < n && !w.eof {
			slide(sc.pos, false)
		}
	}
	space := func() {
		for {
			sc.skipSpace()
			if sc.pos < len(sc.data) || w.eof {
				return
			}
			slide(sc.pos, false)
		}
	}
	ensure(3)
	if bytes.HasPrefix(sc.data[sc.pos:], []byte("\uFEFF")) {
		sc.pos += 3
	}
	space()
	if sc.peek() != '{' {
		return false
	}
	sc.pos++
	space()
	var seen [2]bool
	var e entry
	if sc.peek() == '}' {
		sc.pos++
	} else {
		for {
			ensure(64)
			if sc.peek() != '"' {
				return false
			}
			name, err := sc.str()
			if err != nil || name.escaped {
				return false
			}
			var l listKind
			switch string(sc.data[name.start:name.end]) {
			case "keys":
				l = listKeys
			case "users":
				l = listUsers
			default:
				return false
			}
			if seen[l] {
				return false
			}
			seen[l] = true
			e.list = l
			space()
			if sc.peek() != ':' {
				return false
			}
			sc.pos++
			space()
			switch sc.peek() {
			case 'n':
				ensure(4)
				if sc.literal("null") != nil {
					return false
				}
			case '[':
				sc.pos++
				space()
				if sc.peek() == ']' {
					sc.pos++
					break
				}
				for i := 0; ; i++ {
					ensure(lowWater)
					start := sc.pos
					for sc.entry(&e) != nil {
						if w.eof {
							return false
						}
						sc.pos = start
						slide(start, true)
						start = sc.pos
					}
					e.index = i
					if !t.jsonEntry(sc, &e, w.base) {
						return false
					}
					space()
					if c := sc.peek(); c == ']' {
						sc.pos++
						t.listDone(l)
						break
					} else if c != ',' {
						return false
					}
					sc.pos++
					space()
				}
			default:
				return false
			}
			space()
			if c := sc.peek(); c == '}' {
				sc.pos++
				break
			} else if c != ',' {
				return false
			}
			sc.pos++
			space()
		}
	}
	space()
	return sc.pos == len(sc.data) && w.eof && w.err == nil
}

// jsonEntry records a scanned JSON entry; base is the file offset of the scanner's data.
func (t *tables) jsonEntry(sc *scanner, e *entry, base int64) bool {
	off := base + int64(e.start)
	if e.list == listUsers {
		return !e.has(fieldLogin) || t.add(tableLogin, sc.text(e.str[fieldLogin]), off)
	}
	return (!e.has(fieldSHA256) || t.add(tableSHA, sc.text(e.str[fieldSHA256]), off)) &&
		(!e.has(fieldPartner) || t.add(tablePartner, sc.text(e.str[fieldPartner]), off))
}
