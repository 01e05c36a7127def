package diagnose_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/internal/gen"
	"github.com/crefazon/triagem/rules"
)

// BenchmarkPayloadSchema is what checking a case's body against its route's JSON Schema costs
// on its own (reading the body into the library's values, then validating), over the bodies
// of 2,000 varied cases: a floor under the batch's cost per case as long as every body is
// validated with this library.
//
//	go test -run x -bench PayloadSchema -benchmem ./diagnose/
func BenchmarkPayloadSchema(b *testing.B) {
	ts, err := gen.Templates("../testdata")
	if err != nil {
		b.Fatal(err)
	}
	var cw bytes.Buffer
	if err := gen.Cases(ts, 2000, 2000, 2000, 1, &cw, io.Discard); err != nil {
		b.Fatal(err)
	}
	r, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	type body struct {
		route int
		raw   []byte
	}
	var bodies []body
	sc := bufio.NewScanner(&cw)
	sc.Buffer(nil, 1<<24)
	for i := 0; sc.Scan(); i++ {
		c, err := diagnose.ParseCase(fmt.Sprintf("case-%d.json", i), sc.Bytes())
		if err != nil {
			continue // the generator writes some bad input on purpose
		}
		f, err := diagnose.ResolveLang(c, r, "pt-BR")
		if err != nil || f.Route < 0 || !f.HasPayload || f.PayloadErr != nil {
			continue
		}
		bodies = append(bodies, body{f.Route, f.Payload})
	}
	if len(bodies) < 1000 {
		b.Fatalf("only %d of the cases have a body to validate", len(bodies))
	}
	b.Run("read+validate", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			x := bodies[i%len(bodies)]
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(x.raw))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := r.ValidatePayload(x.route, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	values := make([]any, len(bodies))
	for i, x := range bodies {
		values[i], _ = jsonschema.UnmarshalJSON(bytes.NewReader(x.raw))
	}
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := r.ValidatePayload(bodies[i%len(bodies)].route, values[i%len(bodies)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
