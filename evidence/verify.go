package evidence

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"triagem/diagnose"
	"triagem/rules"
)

// maxEntry caps what verify reads of one file, so that a hostile zip cannot exhaust memory.
const maxEntry = 256 << 20

// Verify checks a bundle: the manifest's checksums and sizes, the evidence checklist, the
// escalation's grounds, and that no secret or personal data is in clear. It returns the
// manifest (when readable) and every problem found; none means the bundle may go.
func Verify(red rules.Redaction, data []byte) (*Manifest, []string) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, []string{fmt.Sprintf("not a zip bundle: %v", err)}
	}
	contents := map[string][]byte{}
	var problems []string
	for _, f := range zr.File {
		if _, dup := contents[f.Name]; dup {
			problems = append(problems, fmt.Sprintf("%s: appears twice in the zip", f.Name))
			continue
		}
		rc, err := f.Open()
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: unreadable: %v", f.Name, err))
			continue
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxEntry+1))
		rc.Close()
		if err != nil || len(b) > maxEntry {
			problems = append(problems, fmt.Sprintf("%s: unreadable or larger than %d MiB", f.Name, maxEntry>>20))
			continue
		}
		contents[f.Name] = b
	}
	raw, ok := contents[ManifestFile]
	if !ok {
		return nil, append(problems, "manifest.json is missing: not a triagem bundle")
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, append(problems, fmt.Sprintf("manifest.json: %v", err))
	}
	if m.Schema != BundleSchema {
		problems = append(problems, fmt.Sprintf("manifest.json: schema %q, want %q", m.Schema, BundleSchema))
	}

	listed := map[string]bool{ManifestFile: true}
	for _, fe := range m.Files {
		listed[fe.Name] = true
		b, ok := contents[fe.Name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: listed in the manifest but missing", fe.Name))
			continue
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != fe.SHA256 || len(b) != fe.Size {
			problems = append(problems, fmt.Sprintf("%s: checksum or size does not match the manifest (altered after it was built)", fe.Name))
		}
	}
	var extra []string
	for name := range contents {
		if !listed[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		problems = append(problems, fmt.Sprintf("%s: not listed in the manifest", name))
	}
	for _, want := range []string{VerdictFile, CaseFile, SummaryFile, RedactionFile} {
		if !listed[want] {
			problems = append(problems, fmt.Sprintf("%s: a bundle must carry it", want))
		}
	}

	seen := map[string]bool{}
	for _, it := range m.Checklist {
		seen[it.ID] = true
		if !it.Present {
			problems = append(problems, fmt.Sprintf("evidence checklist: %s is missing", it.ID))
		}
	}
	for _, id := range append(append([]string{}, diagnose.EvidenceItems...), PriorAnalysisItem) {
		if !seen[id] {
			problems = append(problems, fmt.Sprintf("evidence checklist: %s is not listed", id))
		}
	}
	switch v := m.Verdict; {
	case v.Category == "no-apparent-cause" && v.Escalate:
	case v.Category == "no-apparent-cause":
		problems = append(problems, "verdict: no-apparent-cause without escalate: the prior analysis was incomplete")
	case v.Category == "evidence-incomplete":
		problems = append(problems, "verdict: evidence-incomplete is never escalated")
	case !v.Forced || v.Reason == "":
		problems = append(problems, fmt.Sprintf("verdict: %s names a cause and the bundle was not forced with a reason", v.Category))
	}
	if vj, ok := contents[VerdictFile]; ok {
		var vv struct {
			Category string `json:"category"`
		}
		if json.Unmarshal(vj, &vv) != nil || vv.Category != m.Verdict.Category {
			problems = append(problems, "verdict.json: its category does not match the manifest's")
		}
	}

	names := make([]string, 0, len(contents))
	for name := range contents {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		findings, err := Scan(red, name, contents[name])
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: cannot scan: %v", name, err))
			continue
		}
		for _, f := range findings {
			problems = append(problems, fmt.Sprintf("%s:%d: %s in clear", f.File, f.Line, f.Kind))
		}
	}
	return &m, problems
}
