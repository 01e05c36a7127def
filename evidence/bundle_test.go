package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkBundle1MB builds a bundle (redaction included) for a case with a 1 MB payload.
// Target: under 100 ms.
func BenchmarkBundle1MB(b *testing.B) {
	c, v := diagnoseFile(b, "../testdata/cases/sem-causa-aparente.yaml", true, func(c *diagnose.Case) {
		c.Request.Body = diagnose.Body{Raw: bigPayload(1 << 20), Present: true}
	})
	b.SetBytes(int64(len(c.Request.Body.Raw)))
	b.ResetTimer()
	for b.Loop() {
		build(b, c, v)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/bundle")
}
