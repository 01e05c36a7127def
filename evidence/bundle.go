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
	"strings"
	"sync"
	"time"

	"aead.dev/minisign"

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
	// Problems is what verify finds in Zip, found as it was built: the zip's structure and
	// the manifest's list from the central directory, the checklist, the grounds, the
	// signature, and the secret scan of every file on the very bytes written into the zip
	// (not decompressed again, nor hashed twice). A bundle with a problem must not be written.
	Problems Problems
	// learnt is what the case's redaction learnt, for the output redactor (Teach).
	learnt learntSecrets
	// files are the files as they were built, for Text: the journal's event keeps two of
	// them, which it used to inflate back from the zip.
	files []namedFile
}

// Text is the text of one of the files the manifest lists as it was built, the very bytes
// written into the zip (case.yaml put together when its body was spliced in), without reading
// the zip back. False for any other name, and for every file of an incident's bundle, which
// is put together from its tickets' (read its zip).
func (b *Bundle) Text(name string) (string, bool) {
	for i := range b.files {
		f := &b.files[i]
		if f.name != name {
			continue
		}
		if f.yaml == nil {
			return string(f.data), true
		}
		var sb strings.Builder
		sb.Grow(f.size())
		if f.writeTo(&sb) != nil {
			return "", false
		}
		return sb.String(), true
	}
	return "", false
}

// Build redacts the case and the verdict and packs them, with the summary, the token's view,
// the redaction report and the manifest, into a zip. It writes nothing to disk.
func Build(in BundleInput) (*Bundle, error) {
	rd, err := NewRedactor(in.Rules.Redaction)
	if err != nil {
		return nil, &RulesError{Source: in.Rules.Source(), Err: err}
	}
	rd.prescan = &prescanner{red: in.Rules.Redaction}
	caseDoc, token, err := rd.Case(in.Case)
	if err != nil {
		return nil, fmt.Errorf("redacting the case: %w", err)
	}
	caseText, err := encodeCase(caseDoc)
	if err != nil {
		return nil, fmt.Errorf("writing case.yaml: %w", err)
	}
	caseText.scanned = rd.prescan.scans
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
	summary := summaryMarkdown(rd, in, caseText)

	files := []namedFile{
		{name: VerdictFile, data: verdictJSON},
		{name: CaseFile, data: caseText.whole, yaml: caseText},
		{name: SummaryFile, data: []byte(summary)},
	}
	if token != nil {
		tj, err := json.MarshalIndent(token, "", "  ")
		if err != nil {
			return nil, err
		}
		files = append(files, namedFile{name: TokenFile, data: tj})
	}
	report := rd.Report()
	reportJSON, err := reportLines(report)
	if err != nil {
		return nil, err
	}
	files = append(files, namedFile{name: RedactionFile, data: reportJSON})

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
	// The redactor's last use: what it learnt is kept for Teach, and the rest of it (the
	// numbering of the body's distinct values, its memo) is garbage while the zip is written.
	learnt := rd.learnt(in.Case)
	for _, f := range files {
		h := sha256.New()
		if err := f.writeTo(h); err != nil {
			return nil, err
		}
		m.Files = append(m.Files, FileEntry{Name: f.name, SHA256: hex.EncodeToString(h.Sum(nil)), Size: f.size()})
	}
	manifestJSON, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}

	// The secret scan of every file, the costliest check, runs on the bytes as they are
	// written and beside their compression: a file per goroutine (case.yaml is nearly all
	// of it), while this one deflates them into the zip.
	var signature []byte
	if in.SignKey != nil {
		signature = signManifest(*in.SignKey, manifestJSON)
	}
	built := &builtFiles{data: make(map[string][]byte, len(files)+1), scans: make(map[string]scanned, len(files)+1)}
	built.data[ManifestFile] = manifestJSON
	for _, f := range files {
		built.data[f.name] = f.data
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, data := range built.data {
		wg.Go(func() {
			var findings []Finding
			var err error
			if name == CaseFile {
				findings, err = scanSpliced(in.Rules.Redaction, name, caseText)
			} else {
				findings, err = Scan(in.Rules.Redaction, name, data)
			}
			mu.Lock()
			built.scans[name] = scanned{findings, err}
			mu.Unlock()
		})
	}
	zipData, err := writeZip(in.CreatedAt, manifestJSON, signature, files)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	var self VerifyOptions
	if in.SignKey != nil {
		pub := PublicOf(*in.SignKey)
		self.PublicKey = &pub
	}
	_, problems := verify(in.Rules.Redaction, zipData, self, built)
	sum := sha256.Sum256(zipData)
	return &Bundle{Zip: zipData, Manifest: m, SHA256: hex.EncodeToString(sum[:]), Problems: problems, learnt: learnt, files: files}, nil
}

// namedFile is one file of a bundle: its bytes, or case.yaml as encodeCase made it (its
// bytes then are nil when it was spliced).
type namedFile struct {
	name string
	data []byte
	yaml *caseYAML
}

func (f *namedFile) writeTo(w io.Writer) error {
	if f.yaml != nil {
		return f.yaml.writeTo(w)
	}
	_, err := w.Write(f.data)
	return err
}

func (f *namedFile) size() int {
	if f.yaml != nil {
		return f.yaml.size
	}
	return len(f.data)
}

// writeZip packs the manifest, its signature (when there is one) and the files. Deflate at
// its fastest level: a bundle's files are text that any level shrinks 5 to 10 times, and the
// best level costs several times the time for a few percent (gzip -9 is the baseline of
// speed, not of size); escalate verify's caps leave room above what this level makes.
func writeZip(at time.Time, manifestJSON, signature []byte, files []namedFile) ([]byte, error) {
	var buf bytes.Buffer
	size := len(manifestJSON) + len(signature)
	for _, f := range files {
		size += f.size()
	}
	buf.Grow(size/8 + 4096) // text: 5 to 10 times smaller
	zw := zip.NewWriter(&buf)
	// One compressor for every file, reset for each (the zip closes a file before it opens
	// the next): a new one holds about a megabyte of tables, seven times over for a bundle.
	var fw *flate.Writer
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			var err error
			fw, err = flate.NewWriter(w, flate.BestSpeed)
			return fw, err
		}
		fw.Reset(w)
		return fw, nil
	})
	add := func(f namedFile) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: at.UTC()})
		if err != nil {
			return err
		}
		return f.writeTo(w)
	}
	if err := add(namedFile{name: ManifestFile, data: manifestJSON}); err != nil {
		return nil, err
	}
	if signature != nil {
		if err := add(namedFile{name: SignatureFile, data: signature}); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		if err := add(f); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reportLines writes the redaction report one entry per line: short to read, easy to grep.
func reportLines(r Report) ([]byte, error) {
	var b bytes.Buffer
	counts, err := json.Marshal(r.Counts)
	if err != nil {
		return nil, err
	}
	b.WriteString("{\n  \"counts\": ")
	b.Write(counts)
	b.WriteString(",\n  \"entries\": [")
	for i, e := range r.Entries {
		if i > 0 {
			b.WriteByte(',')
		}
		line, err := json.Marshal(e)
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
