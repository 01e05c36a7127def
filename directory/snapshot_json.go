package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// match is an element of a top-level list that a Lookup wants decoded.
type match struct {
	list       listKind
	index      int
	start, end int
}

func matchOf(e *entry) match {
	return match{list: e.list, index: e.index, start: e.start, end: e.end}
}

// lookupJSON answers q in one pass, remembering only where the matching entries are.
func (s *Snapshot) lookupJSON(ctx context.Context, q Query) (Result, error) {
	sc := &scanner{file: s.name, data: s.json}
	key, user := match{index: -1}, match{index: -1}
	var partner []match
	err := sc.walk(ctx, func(e *entry) error {
		if e.list == listUsers {
			if q.Login != "" && user.index < 0 && e.has(fieldLogin) && sc.equal(e.str[fieldLogin], q.Login) {
				user = matchOf(e)
			}
			return nil
		}
		if q.KeySHA256 != "" && key.index < 0 && e.has(fieldSHA256) && sc.equal(e.str[fieldSHA256], q.KeySHA256) {
			key = matchOf(e)
		}
		if q.Partner != "" && e.has(fieldPartner) && sc.equal(e.str[fieldPartner], q.Partner) {
			partner = append(partner, matchOf(e))
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return s.decodeMatches(key, user, partner)
}

func (s *Snapshot) decodeMatches(key, user match, partner []match) (Result, error) {
	var r Result
	if key.index >= 0 {
		k, err := s.decodeKey(key)
		if err != nil {
			return Result{}, err
		}
		r.Key = &k
	}
	if user.index >= 0 {
		u := new(User)
		if err := s.decodeStrict(user, u); err != nil {
			return Result{}, err
		}
		r.User = u
	}
	if len(partner) > 0 {
		r.PartnerKeys = make([]Key, len(partner))
		for i, m := range partner {
			k, err := s.decodeKey(m)
			if err != nil {
				return Result{}, err
			}
			r.PartnerKeys[i] = k
		}
	}
	return r, nil
}

func (s *Snapshot) decodeKey(m match) (Key, error) {
	var k Key
	if err := s.decodeStrict(m, &k); err != nil {
		return k, err
	}
	if problem := sha256Problem(k.SHA256); problem != "" {
		return k, s.matchError(m, "o sha256 não é um SHA-256 hexadecimal em minúsculas: %[1]s", "sha256 is not a lower-case hex SHA-256: %[2]s", sha256ProblemPt(k.SHA256), problem)
	}
	return k, nil
}

// decodeStrict decodes one matched element with encoding/json, refusing unknown
// fields. The scanner has already checked the element, so a failure here means the two
// disagree; it is still reported at the element's place.
func (s *Snapshot) decodeStrict(m match, v any) error {
	dec := json.NewDecoder(bytes.NewReader(s.json[m.start:m.end]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		// encoding/json's words stay in the English text (%.0[1]s takes the error and prints none of it)
		return s.matchError(m, "%.0[1]sum campo desconhecido ou um valor de tipo errado (o detalhe aparece com --lang en)", "%[1]v", err)
	}
	return nil
}

func (s *Snapshot) matchError(m match, pt, en string, args ...any) error {
	e := errorL(placeAt(s.name, s.json, m.start), pt, en, args...)
	e.Msg = fmt.Sprintf("%s[%d]: %s", m.list, m.index, e.Msg)
	e.Pt = fmt.Sprintf("%s[%d]: %s", m.list, m.index, e.Pt)
	return e
}

// decodeJSON decodes every entry from the scanner's own view of it rather than through
// encoding/json, which would cost a reflection-driven decode per entry. Entries are not
// checked here: Index checks them, Validate reports them.
func (s *Snapshot) decodeJSON(ctx context.Context) (*contents, error) {
	sc := &scanner{file: s.name, data: s.json}
	lines := lineCounter{data: s.json}
	var d entryDecoder
	c := &contents{}
	err := sc.walk(ctx, func(e *entry) error {
		at := lines.at(s.name, e.start)
		if e.list == listUsers {
			c.users = append(c.users, User{
				Login:   d.string(sc, e, fieldLogin),
				Partner: d.intern(sc, e, fieldPartner),
				Active:  e.active,
			})
			c.userAt = append(c.userAt, at)
			return nil
		}
		c.keys = append(c.keys, Key{
			SHA256:      d.string(sc, e, fieldSHA256),
			Partner:     d.intern(sc, e, fieldPartner),
			Environment: d.intern(sc, e, fieldEnvironment),
			Active:      e.active,
			Users:       d.users(sc, e),
		})
		c.keyAt = append(c.keyAt, at)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// entryDecoder turns scanned entries into Go values with few allocations: partner and
// environment names repeat across thousands of entries and are stored once, and the
// users slices of many keys share large backing arrays.
type entryDecoder struct {
	interned map[string]string
	logins   []string // free room for users slices
}

func (d *entryDecoder) string(sc *scanner, e *entry, f field) string {
	if !e.has(f) {
		return ""
	}
	return string(sc.text(e.str[f]))
}

func (d *entryDecoder) intern(sc *scanner, e *entry, f field) string {
	if !e.has(f) {
		return ""
	}
	return d.internText(sc.text(e.str[f]))
}

// internText is b as a string, one copy per distinct text (partners and environments recur
// across thousands of entries).
func (d *entryDecoder) internText(b []byte) string {
	if v, ok := d.interned[string(b)]; ok {
		return v
	}
	if d.interned == nil {
		d.interned = make(map[string]string)
	}
	v := string(b)
	d.interned[v] = v
	return v
}

// users decodes a key's users. Like encoding/json, an absent field gives nil and an
// empty array an empty, non-nil slice.
func (d *entryDecoder) users(sc *scanner, e *entry) []string {
	if !e.has(fieldUsers) {
		return nil
	}
	n := len(e.users)
	if n == 0 {
		return []string{}
	}
	if cap(d.logins)-len(d.logins) < n {
		d.logins = make([]string, 0, max(n, 4096))
	}
	start := len(d.logins)
	for _, v := range e.users {
		d.logins = append(d.logins, string(sc.text(v)))
	}
	return d.logins[start : start+n : start+n]
}
