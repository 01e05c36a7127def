package evidence_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/directory"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/internal/brdoc"
	"github.com/crefazon/triagem/rules"
)

func defaultRules(t testing.TB) *rules.Rules {
	t.Helper()
	r, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func testDirectory(t testing.TB) directory.Directory {
	t.Helper()
	d, err := directory.Open("../testdata/directory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func diagnoseFile(t testing.TB, path string, withDir bool, edit func(*diagnose.Case)) (*diagnose.Case, *diagnose.Verdict) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := diagnose.ParseCase(filepath.Base(path), data)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(c)
	}
	ch := &diagnose.Chain{Rules: defaultRules(t), Lang: "en"}
	if withDir {
		ch.Dir = testDirectory(t)
	}
	v, err := ch.Diagnose(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return c, v
}

func TestCheckEscalation(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		withDir bool
		force   bool
		edit    func(*diagnose.Case)
		want    []string // reasons, by fragment; none: allowed
	}{
		{name: "no apparent cause with a directory goes", file: "sem-causa-aparente.yaml", withDir: true},
		{name: "without a directory the analysis is incomplete", file: "sem-causa-aparente.yaml",
			want: []string{"prior analysis incomplete"}},
		{name: "missing payload and error are each named", file: "sem-evidencias.yaml", withDir: true,
			want: []string{"missing mandatory evidence: payload", "missing mandatory evidence: error_message"}},
		{name: "force does not override missing evidence", file: "sem-evidencias.yaml", withDir: true, force: true,
			want: []string{"missing mandatory evidence: payload"}},
		{name: "a named cause needs force", file: "token-expirado.yaml", withDir: true,
			want: []string{"the verdict names a cause: token-expired"}},
		{name: "a named cause with force goes", file: "token-expirado.yaml", withDir: true, force: true},
		{name: "force never overrides an incomplete analysis", file: "token-expirado.yaml", force: true,
			want: []string{"prior analysis incomplete"}},
		{name: "a missing API key is named", file: "sem-causa-aparente.yaml", withDir: true,
			edit: func(c *diagnose.Case) { c.Credentials.APIKey = "" }, want: []string{"missing mandatory evidence: api_key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, v := diagnoseFile(t, "../testdata/cases/"+tt.file, tt.withDir, tt.edit)
			r := evidence.CheckEscalation(v, tt.force, "en")
			if len(tt.want) == 0 {
				if r != nil {
					t.Fatalf("refused: %v", r)
				}
				return
			}
			if r == nil {
				t.Fatalf("allowed, want refused with %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Error(), w) {
					t.Errorf("refusal lacks %q:\n%v", w, r)
				}
			}
		})
	}
}

func build(t testing.TB, c *diagnose.Case, v *diagnose.Verdict) *evidence.Bundle {
	t.Helper()
	b, err := evidence.Build(evidence.BundleInput{Case: c, Verdict: v, Rules: defaultRules(t), ToolVersion: "test",
		CreatedAt: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBuildVerifies(t *testing.T) {
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, nil)
	b := build(t, c, v)
	m, problems := evidence.Verify(defaultRules(t).Redaction, b.Zip)
	if len(problems) > 0 {
		t.Fatalf("a fresh bundle fails verification: %v", problems)
	}
	if m.Ticket != "SUP-4830" || m.Verdict.Category != "no-apparent-cause" || !m.Verdict.Escalate {
		t.Errorf("manifest: %+v", m.Verdict)
	}
	for _, it := range m.Checklist {
		if !it.Present {
			t.Errorf("checklist item %s not present", it.ID)
		}
	}
	// The same input builds the same bytes: a retried send carries the same Idempotency-Key.
	if again := build(t, c, v); again.SHA256 != b.SHA256 {
		t.Errorf("two builds of one case differ: %s vs %s", again.SHA256, b.SHA256)
	}
}

// Build checks what it builds as verify would (it is what escalate relies on before writing):
// the same problems, found on the bytes it wrote instead of the zip read back.
func TestBuildFindsWhatVerifyFinds(t *testing.T) {
	red := defaultRules(t).Redaction
	pub, key := genKey(t)
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		file   string
		edit   func(*diagnose.Case)
		forced bool
		reason string
		sign   bool
		want   []string // fragments of the problems, in English; none: a clean bundle
	}{
		{name: "no apparent cause", file: "sem-causa-aparente.yaml"},
		{name: "signed", file: "sem-causa-aparente.yaml", sign: true},
		{name: "a forced cause with its reason", file: "token-expirado.yaml", forced: true, reason: "o parceiro insiste"},
		{name: "a cause not forced", file: "token-expirado.yaml",
			want: []string{"verdict: token-expired names a cause and the bundle was not forced with a reason"}},
		{name: "missing evidence", file: "sem-evidencias.yaml",
			want: []string{"evidence checklist: payload is missing", "evidence checklist: error_message is missing"}},
		{name: "an e-mail in the ticket reaches the manifest", file: "sem-causa-aparente.yaml",
			edit: func(c *diagnose.Case) { c.Ticket = "SUP-4830 fulano.silva@example.com.br" },
			want: []string{"manifest.json:", "email in clear"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, v := diagnoseFile(t, "../testdata/cases/"+tt.file, true, tt.edit)
			in := evidence.BundleInput{Case: c, Verdict: v, Rules: defaultRules(t), ToolVersion: "test",
				CreatedAt: at, Forced: tt.forced, Reason: tt.reason}
			var opts evidence.VerifyOptions
			if tt.sign {
				in.SignKey, opts.PublicKey = &key, &pub
			}
			b, err := evidence.Build(in)
			if err != nil {
				t.Fatal(err)
			}
			_, verified := evidence.VerifyWith(red, b.Zip, opts)
			if got, want := b.Problems.Text("en"), verified.Text("en"); got != want {
				t.Errorf("Build found:\n%s\nverify finds:\n%s", got, want)
			}
			all := b.Problems.Text("en")
			if len(tt.want) == 0 && all != "" {
				t.Errorf("a clean bundle has problems:\n%s", all)
			}
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
			if strings.Contains(all, "fulano") {
				t.Errorf("a problem repeats what it found:\n%s", all)
			}
		})
	}
}

// The redaction report grows with the places masked, not with the values: a payload of
// thousands of records, each with a CPF, an e-mail and a phone, makes one entry per kind and
// place, whose counts add up to the manifest's.
func TestRedactionReportSummarises(t *testing.T) {
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, func(c *diagnose.Case) {
		c.Request.Body = diagnose.Body{Raw: bigPayload(256 << 10), Present: true}
	})
	b := build(t, c, v)
	var report []byte
	for _, fe := range b.Manifest.Files {
		if fe.Name == evidence.RedactionFile {
			report = entryData(t, b.Zip, fe.Name)
		}
	}
	var r evidence.Report
	if err := json.Unmarshal(report, &r); err != nil {
		t.Fatalf("redaction.json: %v\n%s", err, report)
	}
	if len(report) > 4<<10 {
		t.Errorf("redaction.json is %d bytes for a %d-byte payload: it lists values, not places", len(report), len(c.Request.Body.Raw))
	}
	sum := map[string]int{}
	places := map[string]bool{}
	for _, e := range r.Entries {
		sum[e.Kind] += e.Count
		places[e.Kind+" "+e.Place] = true
	}
	if !reflect.DeepEqual(sum, b.Manifest.Redacted) || !reflect.DeepEqual(r.Counts, b.Manifest.Redacted) {
		t.Errorf("entries add up to %v, counts say %v, the manifest %v", sum, r.Counts, b.Manifest.Redacted)
	}
	for _, want := range []string{"cpf case.yaml: request.body.historico[*].cpf", "email case.yaml: request.body.historico[*].email",
		"phone case.yaml: request.body.historico[*].telefone", "personal case.yaml: request.body.cliente.nome"} {
		if !places[want] {
			t.Errorf("no entry %q in:\n%s", want, report)
		}
	}
	if sum["cpf"] < 1000 {
		t.Errorf("only %d CPFs masked in a payload of thousands of records", sum["cpf"])
	}
}

// entryData is one file of a zip, decompressed.
func entryData(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rezip rewrites a bundle with one file changed (or added), keeping the manifest as it was.
func rezip(t *testing.T, data []byte, name string, content []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			b, found = content, true
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	if !found {
		w, _ := zw.Create(name)
		w.Write(content)
	}
	zw.Close()
	return buf.Bytes()
}

func TestVerifyFindsTampering(t *testing.T) {
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, nil)
	b := build(t, c, v)
	red := defaultRules(t).Redaction
	tests := []struct {
		name, file, content string
		want                []string
	}{
		{"a changed summary", "summary.md", "# nada\n", []string{"summary.md: checksum or size does not match"}},
		{"a CPF put back", "case.yaml", "cliente: {cpf: 529.982.247-25}\n", []string{"case.yaml: checksum", "case.yaml:1: cpf in clear"}},
		{"an added file", "extra.txt", "x", []string{"extra.txt: not listed in the manifest"}},
		{"a raw token added", "notes.txt", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ\n", []string{"notes.txt: not listed in the manifest: refused unread"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := evidence.Verify(red, rezip(t, b.Zip, tt.file, []byte(tt.content)))
			all := problems.Text("en")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
			if strings.Contains(all, "529.982.247-25") || strings.Contains(all, "eyJ") {
				t.Errorf("a problem repeats the secret it found:\n%s", all)
			}
		})
	}
	if _, problems := evidence.Verify(red, []byte("not a zip")); len(problems) != 1 || !strings.Contains(problems[0].Reason, "not a zip") {
		t.Errorf("garbage: %v", problems)
	}
}

// bigPayload makes a ~size JSON payload of proposal records full of personal data.
func bigPayload(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"cliente": {"cpf": "529.982.247-25", "nome": "Maria", "nascimento": "1985-03-12"}, "profissional": {"ocupacaoId": 3}, "contato": {"telefone": "(11) 98765-4321"}, "endereco": {"cidadeId": 5270}, "operacao": {"urlNotificacao": "https://p.example.com/h"}, "historico": [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		cpf := brdoc.MakeCPF(fmt.Sprintf("%09d", 100000000+i*7919))
		fmt.Fprintf(&b, `{"id": %d, "cpf": %q, "email": "cliente%d@example.com.br", "telefone": "(11) 9%04d-%04d", "valor": %d.50, "obs": "parcela %d de 24"}`,
			i, cpf, i, i%10000, (i*31)%10000, 1000+i, i%24)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// BenchmarkBundle1MB and BenchmarkBundle10MB build a bundle as escalate does (redaction,
// packing, and the leak scan of what was built) for a case with a 1 MB or 10 MB payload, beside
// gzip -9 of the same payload (compress/flate at BestCompression) in the same iteration, so
// that the ratio reads the same on a loaded machine. Goals (issue 12): x-gzip9 (wall time)
// and x-gzip9-cpu (CPU time, on unix) under 2, and peak-heap/payload under 5.
func BenchmarkBundle1MB(b *testing.B)  { benchBundle(b, 1<<20) }
func BenchmarkBundle10MB(b *testing.B) { benchBundle(b, 10<<20) }

func benchBundle(b *testing.B, size int) {
	c, v := diagnoseFile(b, "../testdata/cases/sem-causa-aparente.yaml", true, func(c *diagnose.Case) {
		c.Request.Body = diagnose.Body{Raw: bigPayload(size), Present: true}
	})
	payload := c.Request.Body.Raw
	b.SetBytes(int64(len(payload)))
	var gz, bundle, gzCPU, bundleCPU time.Duration
	var alloc uint64
	peak := peakHeap()
	defer peak.stop()
	for b.Loop() {
		c0, _ := processCPU()
		t0 := time.Now()
		fw, _ := flate.NewWriter(io.Discard, flate.BestCompression)
		fw.Write(payload)
		fw.Close()
		t1 := time.Now()
		c1, _ := processCPU()
		runtime.GC()
		peak.reset()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		c2, _ := processCPU()
		t2 := time.Now()
		escalateBundle(b, c, v)
		bundle += time.Since(t2)
		c3, _ := processCPU()
		runtime.ReadMemStats(&m1)
		alloc += m1.TotalAlloc - m0.TotalAlloc
		gz += t1.Sub(t0)
		gzCPU += c1 - c0
		bundleCPU += c3 - c2
	}
	n := float64(b.N)
	b.ReportMetric(float64(gz.Milliseconds())/n, "gzip9-ms")
	b.ReportMetric(float64(bundle.Milliseconds())/n, "bundle-ms")
	b.ReportMetric(float64(bundle)/float64(gz), "x-gzip9")
	if _, ok := processCPU(); ok {
		// CPU on every core (the bundle's leak scan runs beside its redaction), the heap
		// sampler's ticks and the collector included.
		b.ReportMetric(float64(bundleCPU)/float64(gzCPU), "x-gzip9-cpu")
	}
	b.ReportMetric(float64(alloc)/n/float64(len(payload)), "alloc/payload")
	b.ReportMetric(float64(peak.max())/float64(len(payload)), "peak-heap/payload")
}

// escalateBundle is what escalate does in process: build, which checks what it built.
func escalateBundle(t testing.TB, c *diagnose.Case, v *diagnose.Verdict) *evidence.Bundle {
	bu := build(t, c, v)
	if len(bu.Problems) > 0 {
		t.Fatal(bu.Problems)
	}
	return bu
}

// heapPeak samples the live heap (objects, garbage not yet collected included) every
// millisecond: the peak of a bundle's build over the heap it started from.
type heapPeak struct {
	mu         sync.Mutex
	base, high uint64
	done       chan struct{}
}

func peakHeap() *heapPeak {
	p := &heapPeak{done: make(chan struct{})}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		tk := time.NewTicker(time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-tk.C:
				metrics.Read(s)
				p.mu.Lock()
				p.high = max(p.high, s[0].Value.Uint64())
				p.mu.Unlock()
			}
		}
	}()
	return p
}

func (p *heapPeak) reset() {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	p.mu.Lock()
	p.base, p.high = s[0].Value.Uint64(), s[0].Value.Uint64()
	p.mu.Unlock()
}

// max is the highest rise over the base seen since reset (the last iteration's).
func (p *heapPeak) max() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.high - p.base
}

func (p *heapPeak) stop() { close(p.done) }
