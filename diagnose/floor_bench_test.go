package diagnose_test

import (
	"bufio"
	"bytes"
	"fmt"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/internal/gen"
	"github.com/crefazon/triagem/rules"
)

// BenchmarkFloorSchemaVaried measures one step of the chain alone: the route schema's check
// of each payload by the schema library (github.com/santhosh-tekuri/jsonschema/v6), over
// 5,000 varied cases (scripts/gen's mix). Its µs/case, averaged over every case (a case
// without a payload or a schema costs nothing here), is a floor under the batch's CPU per
// case that no change to triagem's own code lowers, short of replacing the library:
//
//	go test -run x -bench FloorSchemaVaried ./diagnose/
func BenchmarkFloorSchemaVaried(b *testing.B) {
	ts, err := gen.Templates("../testdata")
	if err != nil {
		b.Fatal(err)
	}
	const n = 5_000
	var cw, sw bytes.Buffer
	if err := gen.Cases(ts, n, n, n, 1, &cw, &sw); err != nil {
		b.Fatal(err)
	}
	r, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	type payload struct {
		route int
		value any
	}
	var ps []payload
	sc := bufio.NewScanner(&cw)
	sc.Buffer(nil, 1<<24)
	for i := 0; sc.Scan(); i++ {
		c, err := diagnose.ParseCase(fmt.Sprintf("case-%d.json", i), bytes.Clone(sc.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		f, err := diagnose.ResolveLang(c, r, "pt-BR")
		if err != nil {
			b.Fatal(err)
		}
		if f.PayloadValue != nil && r.HasSchema(f.Route) {
			ps = append(ps, payload{f.Route, f.PayloadValue})
		}
	}
	if len(ps) < n/2 {
		b.Fatalf("only %d of %d varied cases carry a payload with a schema", len(ps), n)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := ps[i%len(ps)]
		if _, err := r.ValidatePayload(p.route, p.value); err != nil {
			b.Fatal(err)
		}
	}
	perPayload := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perPayload*float64(len(ps))/n/1000, "µs/case")
}
