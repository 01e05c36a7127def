package directory

// A persistent index of a JSON snapshot, kept in the user's cache folder, so that every
// diagnosis after the first against a large snapshot reads a few kilobytes instead of the
// whole file. The format is our own because it is tiny and must be read with a handful of
// ReadAt calls, which no general-purpose store offers without loading itself whole.
//
// An index file is a fixed header followed by three tables of 16-byte records (keys by
// sha256, keys by partner, users by login). A record is the FNV-1a hash of the decoded
// text and where its entry lies in the snapshot (offset<<24 | length); each table is
// sorted by (hash, offset), so equal texts come out in file order. A Lookup binary-searches
// the tables and decodes the entries from the snapshot itself, keeping only those whose
// text really equals what was asked (hashes may collide). The header holds the snapshot's
// size, modification time, device and inode, and a SHA-256 of its first and last 64 KiB:
// if any differs, or the file is not exactly what the header promises, it is rebuilt.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/crefazon/triagem/internal/atomicfile"
)

const (
	indexMagic   = "TRGMIDX1"
	indexHeader  = 96
	indexRecord  = 16
	headTailSize = 64 << 10
	maxEntryLen  = 1<<24 - 1
	maxOffset    = 1<<40 - 1
)

// fingerprint is what must be unchanged in a snapshot for its index to answer.
type fingerprint struct {
	size, mtime int64
	dev, ino    uint64
	headTail    [32]byte
}

// fingerprintOf reads the fingerprint of an open file.
func fingerprintOf(f *os.File) (fingerprint, error) {
	fi, err := f.Stat()
	if err != nil {
		return fingerprint{}, err
	}
	fp := fingerprint{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	fp.dev, fp.ino = fileID(fi)
	h := sha256.New()
	head := make([]byte, min(fp.size, headTailSize))
	if _, err := f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return fingerprint{}, err
	}
	h.Write(head)
	tail := make([]byte, min(fp.size, headTailSize))
	if _, err := f.ReadAt(tail, fp.size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return fingerprint{}, err
	}
	h.Write(tail)
	h.Sum(fp.headTail[:0])
	return fp, nil
}

// indexRec is one record of a table.
type indexRec struct{ hash, pos uint64 }

// textHash is 64-bit FNV-1a, written out: hash/fnv's interface value costs an
// allocation per entry, two million of them for a large snapshot.
func textHash(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func (r indexRec) span() (off, n int64) { return int64(r.pos >> 24), int64(r.pos & maxEntryLen) }

// Indexed answers lookups on a JSON snapshot through its index. It is safe for
// concurrent use. It keeps the snapshot open; Close releases it.
type Indexed struct {
	name  string
	path  string
	data  io.ReaderAt // the snapshot
	index io.ReaderAt // the tables, from the index header on
	keys  int64
	users int64
	mem   []byte // the whole snapshot, when it was just read to build the index
	close func() error
}

var _ Directory = (*Indexed)(nil)

// IndexPath is the index file of the snapshot at path in cacheDir: named by the SHA-256 of
// the absolute path, so that no name from the snapshot's folder appears in the cache.
func IndexPath(cacheDir, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cacheDir, hex.EncodeToString(sum[:])+".idx")
}

// OpenIndexed opens a snapshot file through its index in cacheDir, building (or
// rebuilding) the index when it is missing, stale, corrupt or foreign. A YAML snapshot, or
// a JSON one that does not scan cleanly, is returned as a plain *Snapshot, which answers
// (and reports errors) as Open's does. Failing to write the index is not an error.
func OpenIndexed(path, cacheDir string) (Directory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// a pipe (--directory <(...)) or a device has no stable identity to index by
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return Open(path)
	}
	fp, err := fingerprintOf(f)
	if err != nil {
		f.Close()
		return Open(path)
	}
	ipath := IndexPath(cacheDir, path)
	if x := openIndexFile(ipath, fp); x != nil {
		x.name, x.path, x.data = path, path, f
		idx := x.close
		x.close = func() error { idx(); return f.Close() }
		return x, nil
	}
	data := make([]byte, fp.size)
	if _, err := io.ReadFull(f, data); err != nil { // changed while read: read it plainly
		f.Close()
		return Open(path)
	}
	after, ferr := fingerprintOf(f)
	f.Close()
	s, err := Parse(path, data)
	if err != nil || s.json == nil {
		return s, err
	}
	// Parse drops a byte order mark; offsets are taken in the file as it is.
	tables, keys, users, ok := buildTables(s, data)
	if !ok {
		return s, nil
	}
	if ferr == nil && after == fp {
		if err := os.MkdirAll(cacheDir, 0o700); err == nil {
			var hdr [indexHeader]byte
			putHeader(hdr[:], fp, keys, users)
			atomicfile.Write(ipath, append(hdr[:], tables...), 0o600)
		}
	}
	return &Indexed{name: path, path: path, data: bytes.NewReader(data), index: bytes.NewReader(tables),
		keys: keys, users: users, mem: data, close: func() error { return nil }}, nil
}

// buildTables walks the snapshot once; ok is false when it does not scan cleanly or does
// not fit the record format.
func buildTables(s *Snapshot, file []byte) (tables []byte, keys, users int64, ok bool) {
	shift := len(file) - len(s.json)
	sc := &scanner{file: s.name, data: s.json}
	var bySHA, byPartner, byLogin []indexRec
	fits := true
	err := sc.walk(context.Background(), func(e *entry) error {
		off, n := uint64(e.start+shift), uint64(e.end-e.start)
		if n > maxEntryLen || off > maxOffset {
			fits = false
			return nil
		}
		pos := off<<24 | n
		if e.list == listUsers {
			if e.has(fieldLogin) {
				byLogin = append(byLogin, indexRec{textHash(sc.text(e.str[fieldLogin])), pos})
			}
			return nil
		}
		if e.has(fieldSHA256) {
			bySHA = append(bySHA, indexRec{textHash(sc.text(e.str[fieldSHA256])), pos})
		}
		if e.has(fieldPartner) {
			byPartner = append(byPartner, indexRec{textHash(sc.text(e.str[fieldPartner])), pos})
		}
		return nil
	})
	if err != nil || !fits {
		return nil, 0, 0, false
	}
	// Tables hold only entries that have the field; pad the shorter key table so both
	// have the header's key count (a padding record has pos 0, which no entry has).
	for len(bySHA) < len(byPartner) {
		bySHA = append(bySHA, indexRec{})
	}
	for len(byPartner) < len(bySHA) {
		byPartner = append(byPartner, indexRec{})
	}
	tables = make([]byte, 0, indexRecord*(len(bySHA)+len(byPartner)+len(byLogin)))
	var scratch []indexRec
	for _, t := range [][]indexRec{bySHA, byPartner, byLogin} {
		// records were appended in file order; a stable sort by hash keeps them so
		scratch = radixSort(t, scratch)
		for _, r := range t {
			tables = binary.LittleEndian.AppendUint64(tables, r.hash)
			tables = binary.LittleEndian.AppendUint64(tables, r.pos)
		}
	}
	return tables, int64(len(bySHA)), int64(len(byLogin)), true
}

// radixSort sorts t by hash, stably, using scratch (grown as needed, and returned) as
// room. Written here because the standard library's sorts compare: for the millions of
// records of a large snapshot they cost several times the scan itself, and four counting
// passes of 16 bits do not.
func radixSort(t, scratch []indexRec) []indexRec {
	if cap(scratch) < len(t) {
		scratch = make([]indexRec, len(t))
	}
	src, dst := t, scratch[:len(t)]
	var count [1 << 16]int
	for shift := 0; shift < 64; shift += 16 {
		clear(count[:])
		for _, r := range src {
			count[r.hash>>shift&0xffff]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, r := range src {
			d := r.hash >> shift & 0xffff
			dst[count[d]] = r
			count[d]++
		}
		src, dst = dst, src
	}
	// four passes: the sorted records are back in t
	return scratch
}

func putHeader(b []byte, fp fingerprint, keys, users int64) {
	copy(b, indexMagic)
	le := binary.LittleEndian
	le.PutUint64(b[8:], uint64(fp.size))
	le.PutUint64(b[16:], uint64(fp.mtime))
	le.PutUint64(b[24:], fp.dev)
	le.PutUint64(b[32:], fp.ino)
	copy(b[40:72], fp.headTail[:])
	le.PutUint64(b[72:], uint64(keys))
	le.PutUint64(b[80:], uint64(users))
	le.PutUint32(b[88:], crc32.ChecksumIEEE(b[:88]))
}

// openIndexFile opens the index at ipath if it belongs to a snapshot with fingerprint
// fp and has exactly the size its header promises; otherwise nil.
func openIndexFile(ipath string, fp fingerprint) *Indexed {
	f, err := os.Open(ipath)
	if err != nil {
		return nil
	}
	var hdr [indexHeader]byte
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil
	}
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		f.Close()
		return nil
	}
	le := binary.LittleEndian
	var want [indexHeader]byte
	keys, users := int64(le.Uint64(hdr[72:])), int64(le.Uint64(hdr[80:]))
	if keys < 0 || users < 0 || keys > fp.size || users > fp.size {
		f.Close()
		return nil
	}
	putHeader(want[:], fp, keys, users)
	if hdr != want || fi.Size() != indexHeader+indexRecord*(2*keys+users) {
		f.Close()
		return nil
	}
	return &Indexed{index: io.NewSectionReader(f, indexHeader, fi.Size()-indexHeader), keys: keys, users: users, close: f.Close}
}

// Source is the name the snapshot was opened with.
func (x *Indexed) Source() string { return x.name }

// Close releases the files the index holds open.
func (x *Indexed) Close() error { return x.close() }

// Snapshot reads the whole snapshot, for runs that look up many cases (see
// Snapshot.Index).
func (x *Indexed) Snapshot() (*Snapshot, error) {
	if x.mem != nil {
		return Parse(x.name, x.mem)
	}
	return Open(x.path)
}

// errIndex says that the index and the snapshot disagree: the lookup is then answered
// by reading the snapshot whole.
var errIndex = errors.New("index does not match the snapshot")

// Lookup answers q from the index, exactly as Snapshot.Lookup would.
func (x *Indexed) Lookup(ctx context.Context, q Query) (Result, error) {
	if err := checkQuery(x.name, q); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", x.name, err)
	}
	r, err := x.lookup(q)
	if errors.Is(err, errIndex) {
		s, err := x.Snapshot()
		if err != nil {
			return Result{}, err
		}
		return s.Lookup(ctx, q)
	}
	return r, err
}

func (x *Indexed) lookup(q Query) (Result, error) {
	var r Result
	if q.KeySHA256 != "" {
		err := x.each(0, x.keys, q.KeySHA256, func(raw []byte) (bool, error) {
			var k Key
			if err := strictJSON(raw, &k); err != nil || sha256Problem(k.SHA256) != "" {
				return false, errIndex
			}
			if k.SHA256 != q.KeySHA256 {
				return true, nil
			}
			r.Key = &k
			return false, nil
		})
		if err != nil {
			return Result{}, err
		}
	}
	if q.Login != "" {
		err := x.each(2*x.keys, x.users, q.Login, func(raw []byte) (bool, error) {
			var u User
			if err := strictJSON(raw, &u); err != nil {
				return false, errIndex
			}
			if u.Login != q.Login {
				return true, nil
			}
			r.User = &u
			return false, nil
		})
		if err != nil {
			return Result{}, err
		}
	}
	if q.Partner != "" {
		err := x.each(x.keys, x.keys, q.Partner, func(raw []byte) (bool, error) {
			var k Key
			if err := strictJSON(raw, &k); err != nil || sha256Problem(k.SHA256) != "" {
				return false, errIndex
			}
			if k.Partner == q.Partner {
				r.PartnerKeys = append(r.PartnerKeys, k)
			}
			return true, nil
		})
		if err != nil {
			return Result{}, err
		}
	}
	return r, nil
}

// each calls visit with the raw entry of every record of the table (first record first,
// n records) whose hash is that of text, in file order, while visit asks for more.
func (x *Indexed) each(first, n int64, text string, visit func(raw []byte) (more bool, err error)) error {
	h := textHash([]byte(text))
	var buf [indexRecord]byte
	rec := func(i int64) (indexRec, error) {
		if _, err := x.index.ReadAt(buf[:], (first+i)*indexRecord); err != nil {
			return indexRec{}, errIndex
		}
		return indexRec{binary.LittleEndian.Uint64(buf[:]), binary.LittleEndian.Uint64(buf[8:])}, nil
	}
	lo, hi := int64(0), n
	for lo < hi {
		mid := lo + (hi-lo)/2
		r, err := rec(mid)
		if err != nil {
			return err
		}
		if r.hash < h {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	last := uint64(0)
	for i := lo; i < n; i++ {
		r, err := rec(i)
		if err != nil {
			return err
		}
		if r.hash != h {
			return nil
		}
		if r.pos <= last { // out of order: not an index this package wrote
			return errIndex
		}
		last = r.pos
		off, size := r.span()
		raw := make([]byte, size)
		if _, err := x.data.ReadAt(raw, off); err != nil {
			return errIndex
		}
		more, err := visit(raw)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// strictJSON decodes one entry as decodeStrict does.
func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
