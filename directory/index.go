package directory

import (
	"context"
	"fmt"
	"slices"
)

// Index is a snapshot decoded into maps, for batch runs that look up thousands of cases
// in the same snapshot. It answers exactly as the Snapshot it came from (first entry
// wins for a repeated sha256 or login) and is safe for concurrent use. Results are
// copies: callers may modify them.
type Index struct {
	source string
	contents
	bySHA256  map[string]int
	byLogin   map[string]int
	byPartner map[string][]int // key positions, in file order
}

var _ Directory = (*Index)(nil)

func newIndex(source string, c *contents) *Index {
	x := &Index{
		source:    source,
		contents:  *c,
		bySHA256:  make(map[string]int, len(c.keys)),
		byLogin:   make(map[string]int, len(c.users)),
		byPartner: make(map[string][]int),
	}
	for i, k := range c.keys {
		if _, dup := x.bySHA256[k.SHA256]; !dup {
			x.bySHA256[k.SHA256] = i
		}
		x.byPartner[k.Partner] = append(x.byPartner[k.Partner], i)
	}
	for i, u := range c.users {
		if _, dup := x.byLogin[u.Login]; !dup {
			x.byLogin[u.Login] = i
		}
	}
	return x
}

// Source names the snapshot the index was built from.
func (x *Index) Source() string { return x.source }

// Len reports how many key and user entries the index holds, duplicates included.
func (x *Index) Len() (keys, users int) { return len(x.keys), len(x.users) }

// Lookup answers q from the maps.
func (x *Index) Lookup(ctx context.Context, q Query) (Result, error) {
	if err := checkQuery(x.source, q); err != nil {
		return Result{}, err
	}
	return x.lookup(ctx, q)
}

func (x *Index) lookup(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", x.source, err)
	}
	var r Result
	if i, ok := x.bySHA256[q.KeySHA256]; ok && q.KeySHA256 != "" {
		k, err := x.key(i)
		if err != nil {
			return Result{}, err
		}
		r.Key = &k
	}
	if i, ok := x.byLogin[q.Login]; ok && q.Login != "" {
		u := x.users[i]
		r.User = &u
	}
	if q.Partner != "" {
		for _, i := range x.byPartner[q.Partner] {
			k, err := x.key(i)
			if err != nil {
				return Result{}, err
			}
			r.PartnerKeys = append(r.PartnerKeys, k)
		}
	}
	return r, nil
}

// key returns a copy of key entry i, refusing it if its sha256 is malformed: a YAML
// snapshot is decoded before anyone checks its entries, and this keeps its answers the
// same as a JSON snapshot's.
func (x *Index) key(i int) (Key, error) {
	if err := x.keyError(i); err != nil {
		return Key{}, err
	}
	k := x.keys[i]
	k.Users = slices.Clone(k.Users)
	return k, nil
}

func (x *Index) keyError(i int) error { return keyProblem(x.keyAt[i], i, x.keys[i].SHA256) }

// keyProblem refuses key entry i, at at, when its sha256 is malformed.
func keyProblem(at Place, i int, sha string) error {
	if problem := sha256Problem(sha); problem != "" {
		return errorL(at, "keys[%[1]d]: o sha256 não é um SHA-256 hexadecimal em minúsculas: %[2]s", "keys[%[1]d]: sha256 is not a lower-case hex SHA-256: %[3]s", i, sha256ProblemPt(sha), problem)
	}
	return nil
}

// check fails on the first malformed entry, for Index, which promises a sound snapshot.
func (x *Index) check() error {
	for i := range x.keys {
		if err := x.keyError(i); err != nil {
			return err
		}
	}
	return nil
}
