package rules

import (
	"reflect"
	"testing"
)

// The embedded rules compile a route's schema when a case first reaches it, not at load; a
// rules file given by the user has every schema compiled (and checked) at load.
func TestSchemasCompileOnFirstUse(t *testing.T) {
	compiled := func(r *Rules) (n int) {
		for i := range r.schemas {
			if r.schemas[i].s != nil {
				n++
			}
		}
		return n
	}
	lazy, err := load("embedded default", defaultYAML, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := compiled(lazy); n != 0 {
		t.Fatalf("%d schemas compiled at load, want none", n)
	}
	first := -1
	for i := range lazy.Routes {
		if lazy.HasSchema(i) {
			first = i
			break
		}
	}
	if _, err := lazy.ValidatePayload(first, map[string]any{}); err != nil {
		t.Fatal(err)
	}
	if n := compiled(lazy); n != 1 {
		t.Errorf("%d schemas compiled after one route was used, want 1", n)
	}
	eager, err := Load("team.yaml", defaultYAML)
	if err != nil {
		t.Fatal(err)
	}
	if n, want := compiled(eager), 0; n == want {
		t.Errorf("a user's rules file: no schema compiled at load")
	}
}

// BenchmarkLoadDefault is what every command pays once for the embedded rules: from the
// generated Go values (what the program does), or decoded from the YAML.
//
//	go test -run x -bench LoadDefault -benchmem ./rules/
func BenchmarkLoadDefault(b *testing.B) {
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := finish("embedded default", generatedDefault(), generatedDefaultHash, defaultYAML, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, eager := range []bool{false, true} {
		name := map[bool]string{false: "lazy-schemas", true: "eager-schemas"}[eager]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := load("embedded default", defaultYAML, eager); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The redaction section taken alone is the one the whole embedded file holds.
func TestDefaultRedactionAlone(t *testing.T) {
	alone, err := DefaultRedaction()
	if err != nil {
		t.Fatal(err)
	}
	whole, err := load("embedded default", defaultYAML, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(alone, whole.Redaction) {
		t.Errorf("the redaction section alone:\n%+v\nthe whole file's:\n%+v", alone, whole.Redaction)
	}
	if len(alone.Patterns) == 0 || len(alone.Headers) == 0 || len(alone.PersonalFields) == 0 {
		t.Errorf("the redaction section came out short: %+v", alone)
	}
}
