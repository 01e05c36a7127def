package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"go/format"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The embedded rules reach the program as Go values written from default.yaml (default_gen.go),
// so that no start-up parses the YAML. These tests are the generator and its check: they fail
// when default_gen.go is not exactly what default.yaml gives today, and
//
//	go generate ./rules/        (or UPDATE_GENERATED=1 go test -run TestDefaultGenerated ./rules/)
//
// rewrites it.

//go:generate go test -run TestDefaultGeneratedFileIsCurrent . -args -update-generated

var updateGenerated = flag.Bool("update-generated", false, "rewrite "+generatedFile+" from default.yaml")

const generatedFile = "default_gen.go"

func decodeDefaultYAML(t *testing.T) *Rules {
	t.Helper()
	var r Rules
	dec := yaml.NewDecoder(bytes.NewReader(defaultYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("default.yaml: %v", err)
	}
	return &r
}

func TestDefaultGeneratedFileIsCurrent(t *testing.T) {
	want, err := generateDefault(decodeDefaultYAML(t), defaultYAML)
	if err != nil {
		t.Fatal(err)
	}
	if *updateGenerated || os.Getenv("UPDATE_GENERATED") != "" {
		if err := os.WriteFile(generatedFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(generatedFile)
	if err != nil {
		t.Fatalf("%v: run go generate ./rules/", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: default.yaml or the rules' types changed; run go generate ./rules/", generatedFile)
	}
}

// The values the program starts from are those the YAML decodes to, unexported fields
// included, and the hash that verdicts quote is the file's.
func TestDefaultGeneratedEqualsTheYAML(t *testing.T) {
	if generatedDefault == nil {
		t.Fatalf("%s declares no rules: run go generate ./rules/", generatedFile)
	}
	want := decodeDefaultYAML(t)
	got := generatedDefault()
	if !reflect.DeepEqual(got, want) {
		for i := range reflect.TypeFor[Rules]().NumField() {
			f := reflect.TypeFor[Rules]().Field(i)
			if !f.IsExported() {
				continue
			}
			if g, w := reflect.ValueOf(got).Elem().Field(i).Interface(), reflect.ValueOf(want).Elem().Field(i).Interface(); !reflect.DeepEqual(g, w) {
				t.Errorf("%s: generated %#v\nYAML gives %#v", f.Name, g, w)
			}
		}
		t.Fatal("the generated rules differ from default.yaml's")
	}
	sum := sha256.Sum256(defaultYAML)
	if generatedDefaultHash != hex.EncodeToString(sum[:]) {
		t.Fatalf("generated hash %s is not default.yaml's", generatedDefaultHash)
	}
	// Each call gives rules of its own: nothing the loader derives is shared.
	if a, b := generatedDefault(), generatedDefault(); &a.Routes[0] == &b.Routes[0] {
		t.Fatal("two calls share their routes")
	}
}

// The loaded default, from the generated values and with its templates parsed on first use,
// is the one loading the YAML as a user's rules file gives (everything compiled and checked).
func TestDefaultLoadsAsTheYAML(t *testing.T) {
	fromYAML, err := load("embedded default", defaultYAML, true)
	if err != nil {
		t.Fatal(err)
	}
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if def.hash != fromYAML.hash || def.source != fromYAML.source {
		t.Fatalf("hash/source %s %s, want %s %s", def.hash, def.source, fromYAML.hash, fromYAML.source)
	}
	for _, cat := range Categories {
		for _, l := range Langs {
			data := sampleReplyData(l)
			g, gerr := def.Reply(cat, l, data)
			w, werr := fromYAML.Reply(cat, l, data)
			if g != w || gerr != nil || werr != nil {
				t.Errorf("reply %s %s: %q (%v), want %q (%v)", cat, l, g, gerr, w, werr)
			}
		}
		for _, part := range []string{"context", "docs"} {
			if g, w := def.ReplyPart(part, "en", sampleReplyData("en")), fromYAML.ReplyPart(part, "en", sampleReplyData("en")); g != w || g == "" {
				t.Errorf("part %s: %q, want %q", part, g, w)
			}
		}
	}
}

// generateDefault writes r's exported fields as a Go function returning them.
func generateDefault(r *Rules, data []byte) ([]byte, error) {
	g := &goWriter{}
	sum := sha256.Sum256(data)
	g.printf("// Code generated from default.yaml by TestDefaultGeneratedFileIsCurrent (go generate ./rules/); DO NOT EDIT.\n\n")
	g.printf("package rules\n\n")
	g.printf("import \"time\"\n\n")
	g.printf("func init() {\n\tgeneratedDefault = defaultRulesValue\n\tgeneratedRedaction = defaultRedactionValue\n}\n\n")
	g.printf("const generatedDefaultHash = %q\n\n", hex.EncodeToString(sum[:]))
	g.printf("func defaultRulesValue() *Rules {\n\treturn &")
	if err := g.value(reflect.ValueOf(r).Elem(), false); err != nil {
		return nil, err
	}
	g.printf("\n}\n\n")
	g.printf("func defaultRedactionValue() Redaction {\n\treturn ")
	if err := g.value(reflect.ValueOf(r.Redaction), false); err != nil {
		return nil, err
	}
	g.printf("\n}\n\n")
	g.printf("func ptrTo[T any](v T) *T { return &v }\n\n")
	g.printf("var _ = time.Duration(0)\n")
	out, err := format.Source(g.b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting the generated file: %v", err)
	}
	return out, nil
}

type goWriter struct{ b bytes.Buffer }

func (g *goWriter) printf(f string, args ...any) { fmt.Fprintf(&g.b, f, args...) }

// typeName is t as written in package rules.
func typeName(t reflect.Type) string {
	s := t.String()
	s = strings.ReplaceAll(s, "rules.", "")
	return strings.ReplaceAll(s, "interface {}", "any")
}

// value writes v; typed tells that the context gives the literal its type (a field or an
// element of a typed composite), so that a basic value needs no conversion.
func (g *goWriter) value(v reflect.Value, typed bool) error {
	t := v.Type()
	named := t.Name() != "" && t.PkgPath() != ""
	switch t.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			g.printf("nil")
			return nil
		}
		return g.value(v.Elem(), false)
	case reflect.Pointer:
		if v.IsNil() {
			g.printf("nil")
			return nil
		}
		g.printf("ptrTo(")
		if err := g.value(v.Elem(), false); err != nil {
			return err
		}
		g.printf(")")
		return nil
	case reflect.Struct:
		g.printf("%s{\n", typeName(t))
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				if !v.Field(i).IsZero() {
					return fmt.Errorf("%s.%s: unexported field set by the YAML decoder", t, f.Name)
				}
				continue
			}
			if v.Field(i).IsZero() {
				continue
			}
			g.printf("%s: ", f.Name)
			if err := g.value(v.Field(i), true); err != nil {
				return err
			}
			g.printf(",\n")
		}
		g.printf("}")
		return nil
	case reflect.Slice:
		if v.IsNil() {
			g.printf("%s(nil)", typeName(t))
			return nil
		}
		g.printf("%s{\n", typeName(t))
		for i := range v.Len() {
			if err := g.value(v.Index(i), true); err != nil {
				return err
			}
			g.printf(",\n")
		}
		g.printf("}")
		return nil
	case reflect.Map:
		if v.IsNil() {
			g.printf("%s(nil)", typeName(t))
			return nil
		}
		if t.Key().Kind() != reflect.String {
			return fmt.Errorf("%s: only string keys", t)
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		g.printf("%s{\n", typeName(t))
		for _, k := range keys {
			if err := g.value(k, true); err != nil {
				return err
			}
			g.printf(": ")
			if err := g.value(v.MapIndex(k), true); err != nil {
				return err
			}
			g.printf(",\n")
		}
		g.printf("}")
		return nil
	}
	var lit string
	switch t.Kind() {
	case reflect.String:
		lit = strconv.Quote(v.String())
	case reflect.Bool:
		lit = strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		lit = strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		lit = strconv.FormatUint(v.Uint(), 10)
	case reflect.Float64:
		lit = strconv.FormatFloat(v.Float(), 'g', -1, 64)
	default:
		return fmt.Errorf("%s: no Go literal for this kind", t)
	}
	if named || !typed {
		g.printf("%s(%s)", typeName(t), lit)
		return nil
	}
	g.printf("%s", lit)
	return nil
}
