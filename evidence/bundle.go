package evidence

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"aead.dev/minisign"
	"go.yaml.in/yaml/v3"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

// BundleSchema versions the bundle's manifest.
const BundleSchema = "triagem.bundle/v1"

// Names of the files in a bundle.
const (
	ManifestFile  = "manifest.json"
	VerdictFile   = "verdict.json"
	CaseFile      = "case.yaml"
	TokenFile     = "token.json"
	SummaryFile   = "summary.md"
	RedactionFile = "redaction.json"
)

// Manifest describes a bundle: what it holds, with checksums, and why it was escalated.
type Manifest struct {
	Schema    string         `json:"schema"`
	Tool      string         `json:"tool"` // triagem and its version
	Rules     RulesRef       `json:"rules"`
	CreatedAt string         `json:"created_at"`
	Ticket    string         `json:"ticket"`
	Verdict   VerdictSummary `json:"verdict"`
	Checklist []Item         `json:"evidence_checklist"`
	Files     []FileEntry    `json:"files"`
	Redacted  map[string]int `json:"redacted"` // masks applied per kind; details in redaction.json
	// Incident, in an incident's bundle only: its failure and its tickets, whose files sit in
	// one folder each (incident.go).
	Incident *IncidentManifest `json:"incident,omitempty"`
}

// RulesRef names the rules that judged the case.
type RulesRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// VerdictSummary is the verdict as the intake needs it, and the force reason when forced.
type VerdictSummary struct {
	Category string `json:"category"`
	Section  string `json:"section"`
	Action   string `json:"action"`
	Escalate bool   `json:"escalate"`
	Forced   bool   `json:"forced"`
	Reason   string `json:"reason,omitempty"`
}

// FileEntry is one file of the bundle with its checksum.
type FileEntry struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// BundleInput is what a bundle is built from.
type BundleInput struct {
	Case        *diagnose.Case
	Verdict     *diagnose.Verdict // judged in pt-BR: the Code team reads Portuguese
	Rules       *rules.Rules
	ToolVersion string
	CreatedAt   time.Time
	Forced      bool
	Reason      string
	SignKey     *minisign.PrivateKey // when set, the manifest is signed (SignatureFile)
}

// Bundle is a built bundle: the zip's bytes and what its manifest says.
type Bundle struct {
	Zip      []byte
	Manifest *Manifest
	SHA256   string // of the zip: the Idempotency-Key of its delivery
}

// Build redacts the case and the verdict and packs them, with the summary, the token's view,
// the redaction report and the manifest, into a zip. It writes nothing to disk.
func Build(in BundleInput) (*Bundle, error) {
	rd, err := NewRedactor(in.Rules.Redaction)
	if err != nil {
		return nil, &RulesError{Source: in.Rules.Source(), Err: err}
	}
	caseDoc, token, err := rd.Case(in.Case)
	if err != nil {
		return nil, fmt.Errorf("redacting the case: %w", err)
	}
	var caseBuf bytes.Buffer
	enc := yaml.NewEncoder(&caseBuf)
	enc.SetIndent(2) // as the contract writes cases
	if err := enc.Encode(caseDoc); err != nil {
		return nil, fmt.Errorf("writing case.yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("writing case.yaml: %w", err)
	}
	caseYAML := caseBuf.Bytes()
	// The bundle names the key by its fingerprint, as the directory does: a full SHA-256 next
	// to the word "key" reads as a leaked secret to every scanner, and the Code team needs no more.
	v := *in.Verdict
	if len(v.Request.KeySHA256) > 12 {
		v.Request.KeySHA256 = v.Request.KeySHA256[:12]
	}
	verdictJSON, err := json.MarshalIndent(&v, "", "  ")
	if err != nil {
		return nil, err
	}
	if verdictJSON, err = rd.JSON(VerdictFile, verdictJSON); err != nil {
		return nil, fmt.Errorf("redacting verdict.json: %w", err)
	}
	summary := summaryMarkdown(rd, in, string(caseYAML))

	files := []struct {
		name string
		data []byte
	}{
		{VerdictFile, verdictJSON},
		{CaseFile, caseYAML},
		{SummaryFile, []byte(summary)},
	}
	if token != nil {
		tj, err := json.MarshalIndent(token, "", "  ")
		if err != nil {
			return nil, err
		}
		files = append(files, struct {
			name string
			data []byte
		}{TokenFile, tj})
	}
	report := rd.Report()
	reportJSON, err := reportLines(report)
	if err != nil {
		return nil, err
	}
	files = append(files, struct {
		name string
		data []byte
	}{RedactionFile, reportJSON})

	m := &Manifest{
		Schema:    BundleSchema,
		Tool:      "triagem " + in.ToolVersion,
		Rules:     RulesRef{Name: in.Rules.Name, Version: in.Rules.Version, SHA256: in.Rules.Hash()},
		CreatedAt: in.CreatedAt.UTC().Format(time.RFC3339),
		Ticket:    in.Verdict.Ticket,
		Verdict: VerdictSummary{Category: in.Verdict.Category, Section: in.Verdict.Section, Action: in.Verdict.Action,
			Escalate: in.Verdict.Escalate, Forced: in.Forced, Reason: rd.Text("manifest.json: verdict.reason", in.Reason)},
		Checklist: Checklist(in.Verdict),
		Redacted:  report.Counts,
	}
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		m.Files = append(m.Files, FileEntry{Name: f.name, SHA256: hex.EncodeToString(sum[:]), Size: len(f.data)})
	}
	manifestJSON, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// Bundles are small text; the fastest deflate keeps a 1 MB payload's bundle well within
	// its time budget at little cost in size.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	add := func(name string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: in.CreatedAt.UTC()})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	if err := add(ManifestFile, manifestJSON); err != nil {
		return nil, err
	}
	if in.SignKey != nil {
		if err := add(SignatureFile, signManifest(*in.SignKey, manifestJSON)); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		if err := add(f.name, f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buf.Bytes())
	return &Bundle{Zip: buf.Bytes(), Manifest: m, SHA256: hex.EncodeToString(sum[:])}, nil
}

// reportLines writes the redaction report one item per line: a 1 MB payload makes tens of
// thousands of items, which full indentation makes slow to write and long to read.
func reportLines(r Report) ([]byte, error) {
	var b bytes.Buffer
	counts, err := json.Marshal(r.Counts)
	if err != nil {
		return nil, err
	}
	b.WriteString("{\n  \"counts\": ")
	b.Write(counts)
	b.WriteString(",\n  \"items\": [")
	for i, it := range r.Items {
		if i > 0 {
			b.WriteByte(',')
		}
		line, err := json.Marshal(it)
		if err != nil {
			return nil, err
		}
		b.WriteString("\n    ")
		b.Write(line)
	}
	b.WriteString("\n  ]\n}\n")
	return b.Bytes(), nil
}

// RulesError is a bundle that cannot be built because of the rules (bad input, not a failure).
type RulesError struct {
	Source string
	Err    error
}

func (e *RulesError) Error() string { return fmt.Sprintf("rules %s: %v", e.Source, e.Err) }
func (e *RulesError) Unwrap() error { return e.Err }
