package directory

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
)

// Environments a key can belong to.
const (
	EnvHomologacao = "homologacao"
	EnvProducao    = "producao"
)

// Snapshot is a directory snapshot file. It is safe for concurrent use.
//
// A JSON snapshot is kept as bytes and every Lookup walks it once, checking its whole
// structure and decoding only the entries that match. Syntax errors therefore surface
// at the first Lookup (Parse only looks at the first byte; Validate checks without a
// query), and a corrupt file fails every non-empty Lookup whatever it asks. A YAML
// snapshot is decoded at Parse; a Lookup walks the decoded entries, and Index builds maps.
//
// When a sha256 or a login appears in more than one entry, the first one in the file
// wins for Lookup (Validate reports the others). PartnerKeys lists every key entry of
// the partner, duplicates included, in file order.
type Snapshot struct {
	name  string
	json  []byte    // the document, for a JSON snapshot
	yaml  *contents // the decoded document, for a YAML snapshot; entries not yet checked
	ydata []byte    // or the document, for a YAML snapshot of the shape yamlfast.go reads

	yamlOnce  sync.Once
	yamlIndex *Index // the maps of a YAML snapshot, built by the first Index call
}

var _ Directory = (*Snapshot)(nil)

// Open reads a snapshot file. A missing or unreadable file gives the os error, which
// names the path.
func Open(path string) (*Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads a snapshot held in memory; name is used in messages and as Source. The
// format is told by content: a document whose first non-whitespace byte is '{' is
// JSON, anything else YAML. Parse keeps data for a JSON snapshot; do not modify it.
func Parse(name string, data []byte) (*Snapshot, error) {
	// Windows tools like to start UTF-8 files with a byte order mark; neither format
	// wants it, and it would hide the '{' of a JSON file.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, errorL(Place{File: name}, "snapshot do diretório vazio", "empty directory snapshot")
	}
	if trimmed[0] == '{' {
		return &Snapshot{name: name, json: data}, nil
	}
	// A YAML snapshot of the usual shape is only checked here (one pass that allocates
	// nothing) and kept as bytes, like a JSON one: a Lookup walks it again, and only Index
	// decodes it whole. Any other is decoded by the yaml library now.
	y := &yscan{data: data, eof: true, line: 1}
	if y.document(func(listKind, *yentry, int) bool { return true }) {
		return &Snapshot{name: name, ydata: data}, nil
	}
	c, err := parseYAMLLib(name, data)
	if err != nil {
		return nil, err
	}
	return &Snapshot{name: name, yaml: c}, nil
}

// Source is the name the snapshot was opened with.
func (s *Snapshot) Source() string { return s.name }

// Lookup answers q. On a JSON snapshot it is one pass over the file for all the
// non-empty fields of q together.
func (s *Snapshot) Lookup(ctx context.Context, q Query) (Result, error) {
	if err := checkQuery(s.name, q); err != nil {
		return Result{}, err
	}
	if q == (Query{}) {
		return Result{}, nil
	}
	if s.ydata != nil {
		return s.lookupYAMLScan(ctx, q)
	}
	if s.yaml != nil {
		return s.lookupYAML(ctx, q)
	}
	return s.lookupJSON(ctx, q)
}

// lookupYAML answers q from the decoded entries, as Index would from its maps (first entry
// wins for a sha256 or a login; every key of the partner, in file order). One CLI run asks
// one question: walking two lists of structs is a few milliseconds even for millions of
// entries, where building the maps costs seconds and hundreds of megabytes.
func (s *Snapshot) lookupYAML(ctx context.Context, q Query) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("%s: %w", s.name, err)
	}
	x := &Index{source: s.name, contents: *s.yaml}
	var r Result
	if q.KeySHA256 != "" {
		for i := range x.keys {
			if x.keys[i].SHA256 == q.KeySHA256 {
				k, err := x.key(i)
				if err != nil {
					return Result{}, err
				}
				r.Key = &k
				break
			}
		}
	}
	if q.Login != "" {
		for i := range x.users {
			if x.users[i].Login == q.Login {
				u := x.users[i]
				r.User = &u
				break
			}
		}
	}
	if q.Partner != "" {
		for i := range x.keys {
			if x.keys[i].Partner == q.Partner {
				k, err := x.key(i)
				if err != nil {
					return Result{}, err
				}
				r.PartnerKeys = append(r.PartnerKeys, k)
			}
		}
	}
	return r, nil
}

// Index decodes the whole snapshot into maps, for runs that look up many cases in the
// same snapshot. Unlike Lookup it fails on any malformed entry, since it decodes them
// all.
func (s *Snapshot) Index() (*Index, error) {
	if s.yaml != nil || s.ydata != nil {
		s.yamlOnce.Do(func() {
			c, _ := s.contents(context.Background())
			s.yamlIndex = newIndex(s.name, c)
		})
		if err := s.yamlIndex.check(); err != nil {
			return nil, err
		}
		return s.yamlIndex, nil
	}
	c, err := s.decodeJSON(context.Background())
	if err != nil {
		return nil, err
	}
	x := newIndex(s.name, c)
	if err := x.check(); err != nil {
		return nil, err
	}
	return x, nil
}

// contents is every entry of a snapshot, in file order, with where each one starts.
type contents struct {
	keys   []Key
	users  []User
	keyAt  []Place
	userAt []Place
}

func (s *Snapshot) contents(ctx context.Context) (*contents, error) {
	if s.yaml != nil {
		return s.yaml, nil
	}
	if s.ydata != nil {
		c, _ := parseYAMLFast(s.name, s.ydata) // Parse checked that it reads
		return c, nil
	}
	return s.decodeJSON(ctx)
}

// checkQuery refuses a key that is not a hex SHA-256. The value is not echoed: a caller
// that got this wrong may have passed the raw API key itself.
func checkQuery(source string, q Query) error {
	if q.KeySHA256 != "" {
		if problem := sha256Problem(q.KeySHA256); problem != "" {
			return fmt.Errorf("lookup in %s: query key is not a lower-case hex SHA-256: %s", source, problem)
		}
	}
	return nil
}

// sha256Problem says what is wrong with a would-be lower-case hex SHA-256, or "" if
// nothing is. It never quotes the value, which might be a raw key typed in the wrong place.
func sha256Problem(h string) string {
	if h == "" {
		return "it is empty"
	}
	if len(h) != 64 {
		return fmt.Sprintf("it has %d characters, want 64", len(h))
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Sprintf("character %d is not a lower-case hex digit", i+1)
		}
	}
	return ""
}

// sha256ProblemPt is sha256Problem in Portuguese.
func sha256ProblemPt(h string) string {
	switch {
	case h == "":
		return "está vazio"
	case len(h) != 64:
		return fmt.Sprintf("tem %d caracteres, e deveria ter 64", len(h))
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Sprintf("o caractere %d não é um dígito hexadecimal minúsculo", i+1)
		}
	}
	return ""
}
