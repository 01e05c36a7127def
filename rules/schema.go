package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/crefazon/triagem/internal/brdoc"
)

type schemaValidator = *jsonschema.Schema

// enPrinter words the schema library's findings in English, made when a finding is first
// worded rather than at every start.
var enPrinter = sync.OnceValue(func() *message.Printer { return message.NewPrinter(language.English) })

// Formats the route schemas may use on top of JSON Schema's own ("date", "email", ...).
var customFormats = []*jsonschema.Format{
	{Name: "cpf", Validate: stringFormat(func(s string) error { return documentError(brdoc.CheckCPF(s)) })},
	{Name: "cnpj", Validate: stringFormat(func(s string) error { return documentError(brdoc.CheckCNPJ(s)) })},
	// http-url: an absolute http(s) URL on a public host, the only kind of webhook the API can call.
	{Name: "http-url", Validate: stringFormat(func(s string) error {
		if p := WebhookProblem(s); p != "" {
			return errors.New(p)
		}
		return nil
	})},
}

// documentError turns brdoc's finding into the violation's detail: never the value.
func documentError(p brdoc.Problem) error {
	switch p {
	case brdoc.OK:
		return nil
	case brdoc.Shape:
		return errors.New(DetailShape)
	case brdoc.Length:
		return errors.New(DetailLength)
	case brdoc.Characters:
		return errors.New(DetailCharacters)
	}
	return errors.New(DetailCheckDigits)
}

func stringFormat(f func(string) error) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil // the type keyword judges non-strings
		}
		return f(s)
	}
}

// compileRoute compiles route i's schema once; later calls return the same result.
func (r *Rules) compileRoute(i int) (*jsonschema.Schema, error) {
	cs := &r.schemas[i]
	cs.once.Do(func() {
		cs.s, cs.err = compileSchema(fmt.Sprintf("https://triagem.invalid/routes/%d.json", i), r.Routes[i].Schema)
	})
	return cs.s, cs.err
}

func compileSchema(loc string, doc any) (*jsonschema.Schema, error) {
	// The schema comes from YAML; a round trip through JSON gives it the number types the
	// compiler expects and rejects what JSON cannot hold (non-string keys).
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("not a JSON value: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, f := range customFormats {
		c.RegisterFormat(f)
	}
	if err := c.AddResource(loc, v); err != nil {
		return nil, err
	}
	s, err := c.Compile(loc)
	if err != nil {
		return nil, schemaError(err, loc)
	}
	return s, nil
}

// schemaError keeps what helps a rules author: where in the schema, and what is wrong there,
// rather than the metaschema's whole tree of alternatives.
func schemaError(err error, loc string) error {
	var sve *jsonschema.SchemaValidationError
	if !errors.As(err, &sve) || sve.Err == nil {
		return errors.New(strings.ReplaceAll(err.Error(), loc, "schema"))
	}
	var ve *jsonschema.ValidationError
	if !errors.As(sve.Err, &ve) {
		return errors.New(strings.ReplaceAll(err.Error(), loc, "schema"))
	}
	var msgs []string
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			at := "/" + strings.Join(e.InstanceLocation, "/")
			msgs = append(msgs, fmt.Sprintf("at %s: %s", at, e.ErrorKind.LocalizedString(enPrinter())))
			return
		}
		for _, c := range e.Causes {
			leaves(c)
		}
	}
	leaves(ve)
	return errors.New(strings.Join(msgs, "; "))
}

// Violation is one way a payload breaks its route's schema. The diagnose package words it;
// the rules only say what and where.
type Violation struct {
	Path   string   // dotted path into the payload, "" for the payload itself: cliente.cpf
	Code   string   // required, type, format, enum, const, minLength, maxLength, pattern, minimum, maximum, other
	Fields []string // for required: the missing fields
	Want   string   // the type, format, bound or pattern wanted
	Got    string   // the type found, for type violations (never the value: it may be personal data)
	Detail string   // for format violations: why the value does not fit
}

// ValidatePayload checks a decoded JSON payload (as jsonschema.UnmarshalJSON gives it) against
// route i's schema. A route without a schema accepts anything.
func (r *Rules) ValidatePayload(i int, payload any) ([]Violation, error) {
	if r.Routes[i].Schema == nil {
		return nil, nil
	}
	s, err := r.compileRoute(i)
	if err != nil {
		return nil, err
	}
	err = s.Validate(payload)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, err
	}
	var out []Violation
	collectViolations(ve, &out)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Path < out[b].Path })
	return out, nil
}

// HasSchema tells whether route i judges payloads.
func (r *Rules) HasSchema(i int) bool { return r.Routes[i].Schema != nil }

func collectViolations(e *jsonschema.ValidationError, out *[]Violation) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			collectViolations(c, out)
		}
		return
	}
	v := Violation{Path: strings.Join(e.InstanceLocation, ".")}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		v.Code, v.Fields = "required", k.Missing
	case *kind.Type:
		v.Code, v.Want, v.Got = "type", strings.Join(k.Want, "|"), k.Got
	case *kind.Format:
		v.Code, v.Want = "format", k.Want
		if k.Err != nil {
			v.Detail = k.Err.Error()
		}
	case *kind.Enum:
		v.Code, v.Want = "enum", fmt.Sprint(k.Want...)
		parts := make([]string, len(k.Want))
		for i, w := range k.Want {
			b, _ := json.Marshal(w)
			parts[i] = string(b)
		}
		v.Want = strings.Join(parts, ", ")
	case *kind.Const:
		b, _ := json.Marshal(k.Want)
		v.Code, v.Want = "const", string(b)
	case *kind.MinLength:
		v.Code, v.Want = "minLength", fmt.Sprint(k.Want)
	case *kind.MaxLength:
		v.Code, v.Want = "maxLength", fmt.Sprint(k.Want)
	case *kind.Pattern:
		v.Code, v.Want = "pattern", k.Want
	case *kind.Minimum:
		v.Code, v.Want = "minimum", k.Want.FloatString(2)
	case *kind.Maximum:
		v.Code, v.Want = "maximum", k.Want.FloatString(2)
	default:
		v.Code, v.Detail = "other", e.ErrorKind.LocalizedString(enPrinter())
	}
	*out = append(*out, v)
}
