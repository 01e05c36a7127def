package directory

import (
	"context"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"os"
	"slices"
)

// Packed is a snapshot's entries held compactly, for a batch that looks up thousands of
// cases in one snapshot: it answers exactly as the Index of the same snapshot would (first
// entry wins for a repeated sha256 or login; every key of a partner, in file order) in
// about a third of its memory. A sha256 is kept as its 32 bytes, partner and environment
// names once each, and every login's text in shared blocks of a few dozen kilobytes, so
// that a 100k+100k snapshot takes about 25 MB where the Index's strings, structs and maps
// take about 70. It is built in one streaming pass over the file (PackFile), so the file
// itself is never held whole. It is immutable and safe for concurrent use. Results are
// copies: callers may modify them.
type Packed struct {
	source string
	keys   []packedKey
	users  []packedUser
	logins []textRef // the users of every key, back to back
	names  []string  // partner and environment names, each once

	blocks []string // the texts of the logins, back to back, in blocks

	seed      maphash.Seed
	bySHA     table            // key positions by sha256
	byLogin   table            // user positions by login
	partnerID map[string]int32 // a name's position in names
	byPartner []int32          // key positions grouped by partner, in file order within one
	partnerAt []int32          // partner id p's keys are byPartner[partnerAt[p]:partnerAt[p+1]]
}

var _ Directory = (*Packed)(nil)

// textRef is a text in the blocks of a Packed: n bytes at off, or (off and n both
// wholeBlock) the whole of a block of its own.
type textRef struct {
	block  uint32
	off, n uint16
}

const wholeBlock = 0xffff

// table is a hash table of entry positions (plus one; 0 is a free slot) with open
// addressing. Written here because a Go map keyed by the texts costs about 48 bytes an
// entry (14 MB for the users of a 100k+100k snapshot) and this 6 to 12, and the texts are
// already in the blocks.
type table struct {
	slots []int32
	mask  uint64
}

func newTable(n int) table {
	size := 8
	for size < n+n/2 { // at most two thirds full: a short probe, and 6 to 12 bytes an entry
		size *= 2
	}
	return table{slots: make([]int32, size), mask: uint64(size - 1)}
}

// find returns the position of the entry whose hash is h and for which same says yes, or
// the free slot where it would go (pos -1).
func (t *table) find(h uint64, same func(pos int32) bool) (pos int32, slot int) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		v := t.slots[i]
		if v == 0 {
			return -1, int(i)
		}
		if same(v - 1) {
			return v - 1, int(i)
		}
	}
}

// add puts pos in the table unless an entry for which same says yes is there already:
// the first entry wins, as in the Index.
func (t *table) add(h uint64, pos int32, same func(pos int32) bool) {
	if old, slot := t.find(h, same); old < 0 {
		t.slots[slot] = pos + 1
	}
}

type packedKey struct {
	sha          [32]byte
	partner, env int32 // in names
	users        int32 // the first of its logins
	nUsers       int32 // -1: the entry has no users field (nil, not an empty list)
	active       bool
}

type packedUser struct {
	login   textRef
	partner int32
	active  bool
}

// blockSize is the size of a text block: small enough that the last, partly filled block
// wastes little, large enough that the list of blocks stays short.
const blockSize = 64 << 10

// packer builds a Packed from entries as a streaming pass hands them over.
type packer struct {
	p   *Packed
	buf []byte // the block being filled; copied into p.blocks when full
	bad bool   // an entry the Index would refuse (a malformed sha256)
}

func newPacker(source string) *packer {
	return &packer{
		p: &Packed{
			source:    source,
			seed:      maphash.MakeSeed(),
			partnerID: make(map[string]int32),
		},
		buf: make([]byte, 0, blockSize),
	}
}

// text stores b and returns where it is.
func (k *packer) text(b []byte) textRef {
	if len(b) > blockSize/4 { // a long text (rare) gets a block of its own, after the open one
		if len(k.buf) > 0 {
			k.flush()
		}
		k.p.blocks = append(k.p.blocks, string(b))
		return textRef{block: uint32(len(k.p.blocks) - 1), off: wholeBlock, n: wholeBlock}
	}
	if len(k.buf)+len(b) > cap(k.buf) {
		k.flush()
	}
	r := textRef{block: uint32(len(k.p.blocks)), off: uint16(len(k.buf)), n: uint16(len(b))}
	k.buf = append(k.buf, b...)
	return r
}

// flush closes the block being filled: the texts stored in it were given the number it
// takes now, the next one.
func (k *packer) flush() {
	k.p.blocks = append(k.p.blocks, string(k.buf))
	k.buf = k.buf[:0]
}

// name returns the id of a partner or environment name, storing it on first sight.
func (k *packer) name(b []byte, has bool) int32 {
	if !has {
		b = nil
	}
	if id, ok := k.p.partnerID[string(b)]; ok {
		return id
	}
	id := int32(len(k.p.names))
	s := string(b)
	k.p.names = append(k.p.names, s)
	k.p.partnerID[s] = id
	return id
}

// key adds a key entry; its users are added by login calls right after.
func (k *packer) key(sha []byte, hasSHA bool, partner, env int32, active, hasUsers bool) *packedKey {
	pk := packedKey{partner: partner, env: env, users: int32(len(k.p.logins)), nUsers: -1, active: active}
	if hasUsers {
		pk.nUsers = 0
	}
	if !hasSHA || !isSHA256Hex(sha) {
		k.bad = true
	} else {
		hex.Decode(pk.sha[:], sha)
	}
	i := int32(len(k.p.keys))
	k.p.keys = append(k.p.keys, pk)
	return &k.p.keys[i]
}

// isSHA256Hex is sha256Problem(string(b)) == "", without making a string of b.
func isSHA256Hex(b []byte) bool {
	if len(b) != 64 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (k *packer) keyLogin(pk *packedKey, login []byte) {
	k.p.logins = append(k.p.logins, k.text(login))
	pk.nUsers++
}

func (k *packer) user(login []byte, partner int32, active bool) {
	k.p.users = append(k.p.users, packedUser{login: k.text(login), partner: partner, active: active})
}

func (k *packer) jsonEntry(sc *scanner, e *entry, _ int64) bool {
	if e.list == listUsers {
		// the partner first: what sc.text returns for an escaped text lasts until its next call
		partner := k.name(k.jsonText(sc, e, fieldPartner))
		login, _ := k.jsonText(sc, e, fieldLogin)
		k.user(login, partner, e.active)
		return true
	}
	partner := k.name(k.jsonText(sc, e, fieldPartner))
	env := k.name(k.jsonText(sc, e, fieldEnvironment))
	sha, hasSHA := k.jsonText(sc, e, fieldSHA256)
	pk := k.key(sha, hasSHA, partner, env, e.active, e.has(fieldUsers))
	for _, v := range e.users {
		k.keyLogin(pk, sc.text(v))
	}
	return true
}

func (k *packer) jsonText(sc *scanner, e *entry, f field) ([]byte, bool) {
	if !e.has(f) {
		return nil, false
	}
	return sc.text(e.str[f]), true
}

func (k *packer) yamlEntry(l listKind, e *yentry, _ int64) bool {
	text := func(f field) ([]byte, bool) { return e.str[f], e.has(f) }
	if l == listUsers {
		partner := k.name(text(fieldPartner))
		login, _ := text(fieldLogin)
		k.user(login, partner, e.active)
		return true
	}
	partner := k.name(text(fieldPartner))
	env := k.name(text(fieldEnvironment))
	sha, hasSHA := text(fieldSHA256)
	pk := k.key(sha, hasSHA, partner, env, e.active, e.has(fieldUsers))
	for _, v := range e.users {
		k.keyLogin(pk, v)
	}
	return true
}

func (k *packer) listDone(listKind) {}

// done closes the last block and builds the maps that need the texts in place; nil when an
// entry would make the Index refuse the snapshot.
func (k *packer) done() *Packed {
	if k.bad {
		return nil
	}
	k.flush()
	k.buf = nil
	p := k.p
	// the lists grew by appending: a copy of the exact size frees what growth left unused
	p.keys, p.users, p.logins = slices.Clone(p.keys), slices.Clone(p.users), slices.Clone(p.logins)
	p.bySHA = newTable(len(p.keys))
	for i := range p.keys {
		sha := &p.keys[i].sha
		p.bySHA.add(maphash.Bytes(p.seed, sha[:]), int32(i), func(j int32) bool { return p.keys[j].sha == *sha })
	}
	p.byLogin = newTable(len(p.users))
	for i := range p.users {
		l := p.text(p.users[i].login)
		p.byLogin.add(maphash.String(p.seed, l), int32(i), func(j int32) bool { return p.text(p.users[j].login) == l })
	}
	// keys grouped by partner, in file order within a partner: a counting sort
	p.partnerAt = make([]int32, len(p.names)+1)
	for i := range p.keys {
		p.partnerAt[p.keys[i].partner+1]++
	}
	for i := 1; i < len(p.partnerAt); i++ {
		p.partnerAt[i] += p.partnerAt[i-1]
	}
	p.byPartner = make([]int32, len(p.keys))
	next := make([]int32, len(p.names))
	copy(next, p.partnerAt)
	for i := range p.keys {
		id := p.keys[i].partner
		p.byPartner[next[id]] = int32(i)
		next[id]++
	}
	return p
}

// text is the string a textRef names; it shares the block's memory.
func (p *Packed) text(r textRef) string {
	if r.off == wholeBlock && r.n == wholeBlock {
		return p.blocks[r.block]
	}
	return p.blocks[r.block][int(r.off) : int(r.off)+int(r.n)]
}

// PackFile reads the snapshot file at path in one streaming pass into a Packed. ok is false
// when the file does not stream cleanly, changes while it is read, or holds an entry that
// Snapshot.Index refuses: the caller then takes the Index road, which reports what is wrong
// as it always has.
func PackFile(path string) (p *Packed, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, false
	}
	before, err := fingerprintOf(f)
	if err != nil {
		return nil, false
	}
	format, ok := formatOf(f)
	if !ok {
		return nil, false
	}
	k := newPacker(path)
	switch format {
	case formatJSON:
		ok = streamJSON(f, path, k)
	default:
		ok = streamYAML(f, path, k)
	}
	if !ok {
		return nil, false
	}
	if after, err := fingerprintOf(f); err != nil || after != before {
		return nil, false
	}
	p = k.done()
	return p, p != nil
}

// Pack reads the snapshot file the index belongs to into a Packed, as PackFile does: the
// file itself, not the index, so a stale index plays no part.
func (x *Indexed) Pack() (p *Packed, ok bool) { return PackFile(x.path) }

// Pack builds a Packed from a snapshot already in memory; ok is false as for PackFile,
// and for a YAML snapshot that only the yaml library reads.
func (s *Snapshot) Pack() (p *Packed, ok bool) {
	k := newPacker(s.name)
	switch {
	case s.json != nil:
		sc := &scanner{file: s.name, data: s.json}
		if sc.walk(context.Background(), func(e *entry) error {
			k.jsonEntry(sc, e, 0)
			return nil
		}) != nil {
			return nil, false
		}
	case s.ydata != nil:
		y := &yscan{data: s.ydata, eof: true, line: 1}
		if !y.document(func(l listKind, e *yentry, _ int) bool { return k.yamlEntry(l, e, 0) }) {
			return nil, false
		}
	default:
		return nil, false
	}
	p = k.done()
	return p, p != nil
}

// Source names the snapshot the entries came from.
func (p *Packed) Source() string { return p.source }

// Len reports how many key and user entries it holds, duplicates included.
func (p *Packed) Len() (keys, users int) { return len(p.keys), len(p.users) }

// Lookup answers q as Index.Lookup would.
func (p *Packed) Lookup(ctx context.Context, q Query) (Result, error) {
	if err := checkQuery(p.source, q); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", p.source, err)
	}
	var r Result
	if q.KeySHA256 != "" {
		sha := shaBytes(q.KeySHA256) // checkQuery checked it
		if i, _ := p.bySHA.find(maphash.Bytes(p.seed, sha[:]), func(j int32) bool { return p.keys[j].sha == sha }); i >= 0 {
			k := p.key(i)
			r.Key = &k
		}
	}
	if q.Login != "" {
		if i, _ := p.byLogin.find(maphash.String(p.seed, q.Login), func(j int32) bool { return p.text(p.users[j].login) == q.Login }); i >= 0 {
			u := p.users[i]
			r.User = &User{Login: p.text(u.login), Partner: p.names[u.partner], Active: u.active}
		}
	}
	if q.Partner != "" {
		if id, ok := p.partnerID[q.Partner]; ok && p.partnerAt[id] < p.partnerAt[id+1] {
			keys := p.byPartner[p.partnerAt[id]:p.partnerAt[id+1]]
			r.PartnerKeys = make([]Key, len(keys))
			for j, i := range keys {
				r.PartnerKeys[j] = p.key(i)
			}
		}
	}
	return r, nil
}

// shaBytes decodes a lower-case hex SHA-256 that checkQuery has checked, without the copy
// that hex.Decode of a string would need.
func shaBytes(h string) (sha [32]byte) {
	nibble := func(c byte) byte {
		if c <= '9' {
			return c - '0'
		}
		return c - 'a' + 10
	}
	for i := range sha {
		sha[i] = nibble(h[2*i])<<4 | nibble(h[2*i+1])
	}
	return sha
}

// key returns key entry i as a Key.
func (p *Packed) key(i int32) Key {
	pk := &p.keys[i]
	var sha [64]byte
	hex.Encode(sha[:], pk.sha[:])
	k := Key{
		SHA256:      string(sha[:]),
		Partner:     p.names[pk.partner],
		Environment: p.names[pk.env],
		Active:      pk.active,
	}
	if pk.nUsers >= 0 {
		k.Users = make([]string, pk.nUsers)
		for j, r := range p.logins[pk.users : pk.users+pk.nUsers] {
			k.Users[j] = p.text(r)
		}
	}
	return k
}
