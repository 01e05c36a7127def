package evidence_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
)

var testIncident = evidence.IncidentManifest{ID: "INC-1", Environment: "homologacao", Route: "POST /api/v2/propostas/pre-analise",
	ErrorClass: "no-apparent-cause/4xx", OpenedAt: "2026-11-22T09:00:00-03:00", Linked: []string{"SUP-1", "SUP-2", "SUP-3", "SUP-4"}}

// addToIncident escalates the no-apparent-cause case under ticket into prev (nil: a new bundle).
func addToIncident(t *testing.T, prev []byte, ticket string) (*evidence.Bundle, error) {
	t.Helper()
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, func(c *diagnose.Case) { c.Ticket = ticket })
	return evidence.BuildIncident(evidence.IncidentInput{Incident: testIncident, Previous: prev,
		Add: evidence.BundleInput{Case: c, Verdict: v, Rules: defaultRules(t), ToolVersion: "test", CreatedAt: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}})
}

func zipNames(t *testing.T, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

// An incident's bundle holds each escalated ticket's files in its own folder, verifies as any
// bundle, and takes a ticket escalated again by replacing its folder.
func TestIncidentBundle(t *testing.T) {
	red := defaultRules(t).Redaction
	b, err := addToIncident(t, nil, "SUP-4")
	if err != nil {
		t.Fatal(err)
	}
	b, err = addToIncident(t, b.Zip, "SUP-9")
	if err != nil {
		t.Fatal(err)
	}
	m, problems := evidence.Verify(red, b.Zip)
	if len(problems) > 0 {
		t.Fatalf("an incident's bundle fails verification: %v", problems)
	}
	if m.Ticket != "INC-1" || m.Incident == nil || len(m.Incident.Tickets) != 2 || m.Incident.Tickets[1].Folder != "SUP-9" || len(m.Incident.Linked) != 4 {
		t.Fatalf("manifest: %+v %+v", m, m.Incident)
	}
	names := fmt.Sprint(zipNames(t, b.Zip))
	for _, want := range []string{"manifest.json", "SUP-4/verdict.json", "SUP-4/case.yaml", "SUP-4/summary.md", "SUP-4/redaction.json", "SUP-9/case.yaml"} {
		if !strings.Contains(names, want) {
			t.Errorf("the zip lacks %s: %s", want, names)
		}
	}
	if strings.Contains(names, " case.yaml") || strings.Contains(names, "[case.yaml") {
		t.Errorf("a ticket's file at the top: %s", names)
	}
	// Escalated again: still two tickets, SUP-4 now last.
	again, err := addToIncident(t, b.Zip, "SUP-4")
	if err != nil {
		t.Fatal(err)
	}
	m, problems = evidence.Verify(red, again.Zip)
	if len(problems) > 0 || len(m.Incident.Tickets) != 2 || m.Incident.Tickets[1].Ticket != "SUP-4" {
		t.Fatalf("re-escalated: %v %+v", problems, m.Incident)
	}
	// A ticket id that is no plain folder name gets chamado-N.
	odd, err := addToIncident(t, b.Zip, "CON")
	if err != nil {
		t.Fatal(err)
	}
	m, problems = evidence.Verify(red, odd.Zip)
	if len(problems) > 0 || m.Incident.Tickets[2].Folder != "chamado-3" || m.Incident.Tickets[2].Ticket != "CON" {
		t.Fatalf("an odd ticket id: %v %+v", problems, m.Incident.Tickets)
	}
	// Another incident's bundle, or a ticket's, is not this one's.
	other := testIncident
	other.ID = "INC-2"
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, nil)
	_, err = evidence.BuildIncident(evidence.IncidentInput{Incident: other, Previous: b.Zip, Add: evidence.BundleInput{Case: c, Verdict: v, Rules: defaultRules(t), CreatedAt: time.Now()}})
	var nib *evidence.NotIncidentBundleError
	if !errors.As(err, &nib) || nib.Holds != "INC-1" {
		t.Errorf("INC-2 into INC-1's bundle: %v", err)
	}
	_, err = evidence.BuildIncident(evidence.IncidentInput{Incident: testIncident, Previous: build(t, c, v).Zip, Add: evidence.BundleInput{Case: c, Verdict: v, Rules: defaultRules(t), CreatedAt: time.Now()}})
	if !errors.As(err, &nib) || nib.Holds != "SUP-4830" {
		t.Errorf("into a ticket's bundle: %v", err)
	}
	// Ten tickets at most.
	full := b.Zip
	for i := 3; i <= evidence.MaxIncidentTickets; i++ {
		nb, err := addToIncident(t, full, fmt.Sprintf("SUP-%d", 100+i))
		if err != nil {
			t.Fatal(err)
		}
		full = nb.Zip
	}
	if _, problems := evidence.Verify(red, full); len(problems) > 0 {
		t.Fatalf("a full incident's bundle fails verification: %v", problems)
	}
	var fe *evidence.IncidentFullError
	if _, err := addToIncident(t, full, "SUP-999"); !errors.As(err, &fe) {
		t.Errorf("an eleventh ticket: %v", err)
	}
}

// rewrite rebuilds a zip with edit applied to the manifest and add appended.
func rewrite(t *testing.T, data []byte, edit func(m map[string]any), add map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "manifest.json" && edit != nil {
			var m map[string]any
			json.Unmarshal(b, &m)
			edit(m)
			b, _ = json.Marshal(m)
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	for name, b := range add {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func fileOf(t *testing.T, data []byte, name string) []byte {
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
	b, _ := io.ReadAll(rc)
	return b
}

// replaceFile rebuilds a zip with one file's content replaced.
func replaceFile(t *testing.T, data []byte, name string, content []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			b = content
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

// What an incident's manifest does not buy: a ticket without grounds, a folder no ticket
// owns, a file at the top, a verdict.json disagreeing with its ticket, a secret in a folder.
func TestIncidentBundleRefusals(t *testing.T) {
	red := defaultRules(t).Redaction
	b, err := addToIncident(t, nil, "SUP-4")
	if err != nil {
		t.Fatal(err)
	}
	tickets := func(m map[string]any) map[string]any {
		return m["incident"].(map[string]any)["tickets"].([]any)[0].(map[string]any)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"a ticket whose evidence is incomplete", rewrite(t, b.Zip, func(m map[string]any) {
			tickets(m)["evidence_checklist"].([]any)[0].(map[string]any)["present"] = false
		}, nil), "SUP-4/: evidence checklist: api_key is missing"},
		{"a ticket naming a cause, not forced", rewrite(t, b.Zip, func(m map[string]any) {
			tickets(m)["verdict"].(map[string]any)["category"] = "token-expired"
		}, nil), "SUP-4/: verdict: token-expired names a cause"},
		{"a folder renamed to climb out", rewrite(t, b.Zip, func(m map[string]any) { tickets(m)["folder"] = ".." }, nil),
			`folder ".." of ticket SUP-4 is not a plain, unique name`},
		{"a file in no ticket's folder", rewrite(t, b.Zip, func(m map[string]any) {
			m["files"] = append(m["files"].([]any), map[string]any{"name": "SUP-5/case.yaml", "sha256": "00", "size": 1})
		}, map[string][]byte{"SUP-5/case.yaml": []byte("x")}), "SUP-5/case.yaml: the folder is no ticket's of the incident"},
		{"a file in a folder of an unknown name", rewrite(t, b.Zip, nil, map[string][]byte{"SUP-4/notes.txt": []byte("x")}),
			`entry "SUP-4/notes.txt": is inside a folder`},
		{"a folder named as the manifest", rewrite(t, b.Zip, nil, map[string][]byte{"Manifest.json/case.yaml": []byte("x")}),
			`entry "Manifest.json/case.yaml": is inside a folder`},
		{"a folder with a Windows device's name", rewrite(t, b.Zip, nil, map[string][]byte{"nul.txt/case.yaml": []byte("x")}),
			`entry "nul.txt/case.yaml": is inside a folder`},
		{"a folder two deep", rewrite(t, b.Zip, nil, map[string][]byte{"SUP-4/a/case.yaml": []byte("x")}),
			`entry "SUP-4/a/case.yaml": is inside a folder`},
		{"a secret in a ticket's case, checksums redone", func() []byte {
			planted := append(fileOf(t, b.Zip, "SUP-4/case.yaml"), []byte("observacao: cliente 529.982.247-25\n")...)
			sum := sha256.Sum256(planted)
			return replaceFile(t, rewrite(t, b.Zip, func(m map[string]any) {
				for _, f := range m["files"].([]any) {
					if f.(map[string]any)["name"] == "SUP-4/case.yaml" {
						f.(map[string]any)["sha256"], f.(map[string]any)["size"] = hex.EncodeToString(sum[:]), len(planted)
					}
				}
			}, nil), "SUP-4/case.yaml", planted)
		}(), "cpf in clear"},
		{"a ticket's folder in a ticket's bundle", func() []byte {
			c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, nil)
			return rewrite(t, build(t, c, v).Zip, nil, map[string][]byte{"SUP-4/case.yaml": []byte("cpf: 529.982.247-25")})
		}(), `entry "SUP-4/case.yaml": is inside a folder; a bundle's files are all at its top`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := evidence.Verify(red, tc.data)
			if !strings.Contains(problems.Text("en"), tc.want) {
				t.Errorf("problems:\n%s\nwant %q", problems.Text("en"), tc.want)
			}
			if strings.Contains(problems.Text("pt-BR"), " is ") {
				t.Errorf("the Portuguese text holds English:\n%s", problems.Text("pt-BR"))
			}
		})
	}
}
