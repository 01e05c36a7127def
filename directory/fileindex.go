package directory

// A persistent index of a snapshot file, kept in the user's cache folder, so that every
// diagnosis after the first against a large snapshot reads a few kilobytes instead of the
// whole file. The format is our own because it is tiny and must be read with a handful of
// ReadAt calls, which no general-purpose store offers without loading itself whole.
//
// An index file is a fixed header followed by three tables of 8-byte records (keys by
// sha256, keys by partner, users by login). A record is the top 24 bits of a hash of the
// decoded text above the 40-bit offset where its entry starts in the snapshot; each table
// is sorted by record value, so equal hashes come out in file order. A Lookup
// binary-searches the tables and reads the entries from the snapshot itself (an entry's
// end is found by scanning it, so no length is stored), keeping only those whose text
// really equals what was asked: 24 bits collide now and then, and a collision only costs
// one more entry read. The header holds the snapshot's size, modification time, device and
// inode, and a SHA-256 of its first and last 64 KiB: if any differs, or the index file is
// not exactly what its header promises, the index is rebuilt.
//
// The index is built in the one streaming pass that a first run makes over the snapshot
// anyway: the file is read in windows of a megabyte and never held whole, so a first run
// costs about what the plain scan costs, in a fraction of its memory. JSON and YAML
// snapshots are indexed alike (YAML through the scanner of yamlfast.go).

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
	"sync"
	"time"
)

const (
	indexMagic   = "TRGMIDX2"
	indexHeader  = 104
	indexRecord  = 8
	headTailSize = 64 << 10
	offsetBits   = 40
	maxOffset    = 1<<offsetBits - 1

	formatJSON = 'j'
	formatYAML = 'y'
)

// The three tables, in file order.
const (
	tableSHA = iota
	tablePartner
	tableLogin
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

// textHash is a 64-bit hash of a decoded text, eight bytes a step. Written here because the
// standard library's hashes are either byte at a time (hash/fnv: a third of the indexing
// cost on 64-character sha256 texts) or seeded at random per process (hash/maphash), and an
// index file outlives the process that wrote it. Changing it needs a new indexMagic.
func textHash(b []byte) uint64 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for ; len(b) >= 8; b = b[8:] {
		h = (h ^ binary.LittleEndian.Uint64(b)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	var t uint64
	for i, c := range b {
		t |= uint64(c) << (8 * i)
	}
	h = (h ^ t) * 0x94d049bb133111eb
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// record is one table record for text at file offset off.
func record(text []byte, off int64) uint64 {
	return textHash(text)>>offsetBits<<offsetBits | uint64(off)
}

// tables is what an index holds, in memory, while it is built.
type tables struct {
	recs    [3][]uint64
	sorting sync.WaitGroup
}

// newTables makes room for the tables of a snapshot of size bytes: an entry takes well over
// 200 bytes of a snapshot, so this is enough room for every table, reserved once rather than
// grown (and copied) a quarter at a time.
func newTables(size int64) *tables {
	t := &tables{}
	n := min(size/200, 1<<26)
	for i := range t.recs {
		t.recs[i] = make([]uint64, 0, n)
	}
	return t
}

// add records the text of an entry that starts at off; false when off does not fit.
func (t *tables) add(table int, text []byte, off int64) bool {
	if off > maxOffset {
		return false
	}
	t.recs[table] = append(t.recs[table], record(text, off))
	return true
}

// listDone sorts, on another goroutine, the tables of list l, which is complete: the keys'
// tables are sorted while the users are still being read. Records were appended in file
// order, so offsets already increase within a table: sorting by the hash bits alone,
// stably, sorts by the whole value. Wait on t.sorting before using the tables.
func (t *tables) listDone(l listKind) {
	ids := []int{tableLogin}
	if l == listKeys {
		ids = []int{tableSHA, tablePartner}
	}
	for _, i := range ids {
		recs := t.recs[i]
		t.sorting.Add(1)
		go func() {
			defer t.sorting.Done()
			radixSort(recs, nil)
		}()
	}
}

// radixSort sorts t by its top 24 bits, stably, using scratch (grown as needed, and
// returned) as room. Written here because the standard library's sorts compare: for the
// millions of records of a large snapshot they cost several times the scan itself, and two
// counting passes of 12 bits do not.
func radixSort(t, scratch []uint64) []uint64 {
	if cap(scratch) < len(t) {
		scratch = make([]uint64, len(t))
	}
	src, dst := t, scratch[:len(t)]
	var count [1 << 12]int
	for shift := offsetBits; shift < 64; shift += 12 {
		clear(count[:])
		for _, r := range src {
			count[r>>shift&0xfff]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, r := range src {
			d := r >> shift & 0xfff
			dst[count[d]] = r
			count[d]++
		}
		src, dst = dst, src
	}
	// two passes: the sorted records are back in t
	return scratch
}

// Indexed answers lookups on a snapshot through its index. It is safe for concurrent
// use. It keeps the snapshot open; Close releases it.
type Indexed struct {
	name   string
	path   string
	format byte
	data   io.ReaderAt // the snapshot
	size   int64       // its size when the index was checked
	index  io.ReaderAt // the tables, from the index header on (an index file)
	recs   [3][]uint64 // or the tables in memory, when this run built them
	n      [3]int64
	built  bool // the index was built by this open
	close  func() error
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
// rebuilding) the index when it is missing, stale, corrupt or foreign. A snapshot that
// does not scan cleanly in one streaming pass (a JSON syntax error, a YAML file outside
// the shape yamlfast.go reads, a file that changed while it was read) is returned as a
// plain *Snapshot, which answers (and reports errors) as Open's does. Failing to write the
// index is not an error.
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
		x.name, x.path, x.data, x.size = path, path, f, fp.size
		idx := x.close
		x.close = func() error { idx(); return f.Close() }
		return x, nil
	}
	t := newTables(fp.size)
	format, ok := formatOf(f)
	switch format {
	case formatJSON:
		ok = streamJSON(f, path, t)
	case formatYAML:
		ok = streamYAML(f, path, t)
	}
	t.sorting.Wait()
	if ok { // the file must not have changed while it was read
		after, err := fingerprintOf(f)
		ok = err == nil && after == fp
	}
	if !ok {
		f.Close()
		return Open(path)
	}
	writeIndex(ipath, fp, format, t) // best effort: the next run tries again
	x := &Indexed{name: path, path: path, format: format, data: f, size: fp.size, recs: t.recs, built: true, close: f.Close}
	for i := range t.recs {
		x.n[i] = int64(len(t.recs[i]))
	}
	return x, nil
}

// formatOf tells a JSON snapshot from a YAML one as Parse does, by the first byte that is
// neither a byte order mark nor white space; ok is false when the first 64 KiB hold none.
func formatOf(f *os.File) (format byte, ok bool) {
	head := make([]byte, 64<<10)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head[:n], []byte("\uFEFF")), " \t\r\n")
	switch {
	case len(head) == 0:
		return 0, false
	case head[0] == '{':
		return formatJSON, true
	}
	return formatYAML, true
}

func putHeader(b []byte, fp fingerprint, format byte, n [3]int64) {
	copy(b, indexMagic)
	le := binary.LittleEndian
	le.PutUint64(b[8:], uint64(fp.size))
	le.PutUint64(b[16:], uint64(fp.mtime))
	le.PutUint64(b[24:], fp.dev)
	le.PutUint64(b[32:], fp.ino)
	copy(b[40:72], fp.headTail[:])
	for i, c := range n {
		le.PutUint64(b[72+8*i:], uint64(c))
	}
	le.PutUint32(b[96:], uint32(format))
	le.PutUint32(b[100:], crc32.ChecksumIEEE(b[:100]))
}

// staleTemp is how old a temporary index file is when the next write removes it: one left
// by a process that was killed while writing.
const staleTemp = 15 * time.Minute

// writeIndex writes the index file whole or not at all: a temporary file in the same
// folder, written a buffer at a time, synced, then renamed over the old one. The sync comes
// before the rename so that after a crash the file is either absent, the old one, or
// complete: a torn index with the right size would pass the header checks.
func writeIndex(ipath string, fp fingerprint, format byte, t *tables) error {
	recs := &t.recs
	dir := filepath.Dir(ipath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if old, _ := filepath.Glob(filepath.Join(dir, ".tmp-*.idx")); len(old) > 0 {
		for _, p := range old {
			if st, err := os.Lstat(p); err == nil && time.Since(st.ModTime()) > staleTemp {
				os.Remove(p)
			}
		}
	}
	f, err := os.CreateTemp(dir, ".tmp-*.idx") // created 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = func() error {
		// records are encoded into one buffer and written a quarter megabyte at a time
		buf := make([]byte, indexHeader, 256<<10)
		var n [3]int64
		for i := range recs {
			n[i] = int64(len(recs[i]))
		}
		putHeader(buf, fp, format, n)
		for _, table := range recs {
			for _, r := range table {
				if len(buf)+indexRecord > cap(buf) {
					if _, err := f.Write(buf); err != nil {
						return err
					}
					buf = buf[:0]
				}
				buf = binary.LittleEndian.AppendUint64(buf, r)
			}
		}
		if _, err := f.Write(buf); err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
		return f.Close()
	}()
	if err == nil {
		err = os.Rename(tmp, ipath)
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
	}
	return err
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
	var n [3]int64
	total := int64(0)
	for i := range n {
		n[i] = int64(le.Uint64(hdr[72+8*i:]))
		if n[i] < 0 || n[i] > fp.size {
			f.Close()
			return nil
		}
		total += n[i]
	}
	format := byte(le.Uint32(hdr[96:]))
	var want [indexHeader]byte
	putHeader(want[:], fp, format, n)
	if hdr != want || format != formatJSON && format != formatYAML || fi.Size() != indexHeader+indexRecord*total {
		f.Close()
		return nil
	}
	return &Indexed{format: format, index: io.NewSectionReader(f, indexHeader, fi.Size()-indexHeader), n: n, close: f.Close}
}

// Source is the name the snapshot was opened with.
func (x *Indexed) Source() string { return x.name }

// Close releases the files the index holds open.
func (x *Indexed) Close() error { return x.close() }

// Snapshot reads the whole snapshot, for runs that look up many cases (see
// Snapshot.Index).
func (x *Indexed) Snapshot() (*Snapshot, error) { return Open(x.path) }

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
		err := x.each(tableSHA, q.KeySHA256, func(off int64) (bool, error) {
			k, err := x.key(off)
			if err != nil {
				return false, err
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
		err := x.each(tableLogin, q.Login, func(off int64) (bool, error) {
			u, err := x.user(off)
			if err != nil {
				return false, err
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
		err := x.each(tablePartner, q.Partner, func(off int64) (bool, error) {
			k, err := x.key(off)
			if err != nil {
				return false, err
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

// rec is record i of table t.
func (x *Indexed) rec(t int, i int64) (uint64, error) {
	if x.index == nil {
		return x.recs[t][i], nil
	}
	first := int64(0)
	for j := range t {
		first += x.n[j]
	}
	var buf [indexRecord]byte
	if _, err := x.index.ReadAt(buf[:], (first+i)*indexRecord); err != nil {
		return 0, errIndex
	}
	return binary.LittleEndian.Uint64(buf[:]), nil
}

// each calls visit with the offset of every entry of table t whose record carries the
// hash of text, in file order, while visit asks for more.
func (x *Indexed) each(t int, text string, visit func(off int64) (more bool, err error)) error {
	h := textHash([]byte(text)) >> offsetBits
	lo, hi := int64(0), x.n[t]
	for lo < hi {
		mid := lo + (hi-lo)/2
		r, err := x.rec(t, mid)
		if err != nil {
			return err
		}
		if r>>offsetBits < h {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	last := int64(-1)
	for i := lo; i < x.n[t]; i++ {
		r, err := x.rec(t, i)
		if err != nil {
			return err
		}
		if r>>offsetBits != h {
			return nil
		}
		off := int64(r & maxOffset)
		if off <= last || off >= x.size { // out of order or outside: not an index we wrote
			return errIndex
		}
		last = off
		more, err := visit(off)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// readEntry reads the entry that starts at off: parse is given a window of the snapshot
// from off on and whether the window reaches the end of the file, and reports how the
// entry came out. The window doubles until the entry fits.
func (x *Indexed) readEntry(off int64, parse func(w []byte, atEOF bool) entryStatus) error {
	for n := int64(1024); ; n *= 2 {
		atEOF := n >= x.size-off
		if atEOF {
			n = x.size - off
		}
		buf := make([]byte, n)
		if m, _ := x.data.ReadAt(buf, off); int64(m) < n {
			return errIndex // the file shrank
		}
		switch parse(buf, atEOF) {
		case entryOK:
			return nil
		case entryMore:
			if !atEOF {
				continue
			}
		}
		return errIndex
	}
}

type entryStatus uint8

const (
	entryOK entryStatus = iota
	entryMore
	entryBad
)

// key reads the key entry at off, refusing it (errIndex, so that the whole snapshot answers
// and reports it) when it does not decode or its sha256 is malformed.
func (x *Indexed) key(off int64) (Key, error) {
	var k Key
	err := x.readEntry(off, func(w []byte, atEOF bool) entryStatus {
		if x.format == formatYAML {
			return yamlEntryAt(w, atEOF, listKeys, &k, nil)
		}
		raw, st := jsonEntryAt(w)
		if st == entryOK && strictJSON(raw, &k) != nil {
			return entryBad
		}
		return st
	})
	if err == nil && sha256Problem(k.SHA256) != "" {
		err = errIndex
	}
	return k, err
}

// user reads the user entry at off.
func (x *Indexed) user(off int64) (User, error) {
	var u User
	err := x.readEntry(off, func(w []byte, atEOF bool) entryStatus {
		if x.format == formatYAML {
			return yamlEntryAt(w, atEOF, listUsers, nil, &u)
		}
		raw, st := jsonEntryAt(w)
		if st == entryOK && strictJSON(raw, &u) != nil {
			return entryBad
		}
		return st
	})
	return u, err
}

// jsonEntryAt finds the object that w starts with.
func jsonEntryAt(w []byte) ([]byte, entryStatus) {
	sc := &scanner{data: w}
	if sc.peek() != '{' {
		return nil, entryBad
	}
	if err := sc.skipObject(1); err != nil {
		return nil, entryMore
	}
	return w[:sc.pos], entryOK
}

// strictJSON decodes one entry as decodeStrict does.
func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
