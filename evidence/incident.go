package evidence

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// An incident's bundle: the same failure reached several partners, and the Code team gets one
// bundle for it instead of one per ticket. It is an ordinary bundle (schema, manifest with
// every file's checksum, verified by the same Verify) whose manifest has an "incident" section,
// and whose files sit in one folder per escalated ticket, each folder holding what a ticket's
// own bundle would (verdict.json, case.yaml, summary.md, redaction.json, token.json when there
// is a token), built by Build. The top level holds only the manifest (and its signature).
//
//	manifest.json
//	SUP-304/verdict.json   SUP-304/case.yaml   SUP-304/summary.md   SUP-304/redaction.json
//	SUP-311/verdict.json   ...
//
// The manifest's verdict and evidence_checklist are those of the ticket added last, as an
// intake reads them from any bundle; verify checks the grounds of every ticket's own.

// MaxIncidentTickets is how many tickets' evidence an incident's bundle holds. Ten cases of one
// failure are more than the Code team needs to see it; the cap also keeps an incident's bundle
// within verify's limit on the zip's file headers, so that no limit had to be raised for it.
const MaxIncidentTickets = 10

// IncidentManifest is the incident section of an incident's bundle's manifest.
type IncidentManifest struct {
	ID          string `json:"id"`
	Environment string `json:"environment"`
	Route       string `json:"route"`
	ErrorClass  string `json:"error_class"`
	OpenedAt    string `json:"opened_at"` // RFC 3339
	// Linked is every ticket the journal links to the incident, escalated or not.
	Linked []string `json:"linked_tickets"`
	// Tickets are the escalated ones, in the order they were added, each with its folder.
	Tickets []IncidentTicket `json:"tickets"`
}

// IncidentTicket is one escalated ticket of an incident's bundle.
type IncidentTicket struct {
	Ticket    string         `json:"ticket"`
	Folder    string         `json:"folder"`
	CreatedAt string         `json:"created_at"`
	Verdict   VerdictSummary `json:"verdict"`
	Checklist []Item         `json:"evidence_checklist"`
}

// IncidentInput is what an incident's bundle is built or updated from.
type IncidentInput struct {
	Incident IncidentManifest // its Tickets are ignored: they come from Previous and Add
	// Previous is the incident's bundle so far, already verified by the caller; nil for a new one.
	Previous []byte
	// Add is the escalated case, as for Build; its SignKey signs the whole bundle.
	Add BundleInput
}

// IncidentFullError is an incident's bundle that holds MaxIncidentTickets tickets already.
type IncidentFullError struct{ Incident string }

func (e *IncidentFullError) Error() string {
	return fmt.Sprintf("incident %s's bundle holds %d tickets already", e.Incident, MaxIncidentTickets)
}

// NotIncidentBundleError is a Previous that is not the incident's bundle.
type NotIncidentBundleError struct{ Incident, Holds string }

func (e *NotIncidentBundleError) Error() string {
	return fmt.Sprintf("not incident %s's bundle: it holds %s", e.Incident, e.Holds)
}

// Holds names what a bundle's manifest is for: its incident, or its ticket.
func (m *Manifest) Holds() string {
	if m.Incident != nil {
		return m.Incident.ID
	}
	return m.Ticket
}

// bundleFileOrder is the order of a ticket's files in a bundle, as Build writes them.
var bundleFileOrder = []string{VerdictFile, CaseFile, SummaryFile, TokenFile, RedactionFile}

// safeFolder tells whether a ticket id makes a folder name on every system: ASCII letters,
// digits and - _ + . (not first), at most 64 characters. Written out rather than as a
// regular expression: the bounded repetition unrolled into a program of hundreds of
// instructions, compiled at every start of every command (TestFolderNamesAsPatterns keeps
// the two in step).
func safeFolder(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '+' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// plainFolder tells whether a name can be a ticket's folder: a safe name, not ending in a dot
// (Windows drops it), not a Windows device's name, and not one of the files at a bundle's top, which it would collide with
// once extracted on a system that ignores case.
func plainFolder(name string) bool {
	return safeFolder(name) && !strings.HasSuffix(name, ".") && !windowsDevice(name) &&
		!strings.EqualFold(name, ManifestFile) && !strings.EqualFold(name, SignatureFile)
}

// windowsDevice tells whether a name is one Windows keeps for a device (CON, NUL, COM1...),
// with any extension: no folder can be made with it there.
func windowsDevice(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	switch strings.ToLower(stem) {
	case "con", "prn", "aux", "nul":
		return true
	}
	if len(stem) == 4 && '0' <= stem[3] && stem[3] <= '9' {
		switch strings.ToLower(stem[:3]) {
		case "com", "lpt":
			return true
		}
	}
	return false
}

// folderFor is the folder of a ticket in an incident's bundle: its id when that is a safe
// name (and not one a case-insensitive system would merge with another's), else chamado-N.
func folderFor(ticket string, taken []IncidentTicket) string {
	ok := plainFolder(ticket)
	for _, t := range taken {
		if strings.EqualFold(t.Folder, ticket) {
			ok = false
		}
	}
	if ok {
		return ticket
	}
	for n := len(taken) + 1; ; n++ {
		f := fmt.Sprintf("chamado-%d", n)
		if !slices.ContainsFunc(taken, func(t IncidentTicket) bool { return strings.EqualFold(t.Folder, f) }) {
			return f
		}
	}
}

// BuildIncident adds a ticket's evidence to an incident's bundle, or starts one: the case is
// redacted and packed by Build, its files go to the ticket's folder, and the manifest lists
// every ticket's files with their checksums. A ticket already in the bundle has its folder
// replaced (escalated again, its latest evidence is what counts). It writes nothing to disk.
func BuildIncident(in IncidentInput) (*Bundle, error) {
	key := in.Add.SignKey
	add := in.Add
	add.SignKey = nil
	one, err := Build(add)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var parts []IncidentTicket
	redacted := map[string]int{}
	ticket := in.Add.Verdict.Ticket
	if in.Previous != nil {
		prev, prevFiles, err := unpack(in.Previous)
		if err != nil {
			return nil, err
		}
		if prev.Incident == nil || prev.Incident.ID != in.Incident.ID {
			return nil, &NotIncidentBundleError{Incident: in.Incident.ID, Holds: prev.Holds()}
		}
		for _, p := range prev.Incident.Tickets {
			if p.Ticket == ticket {
				continue // replaced below
			}
			parts = append(parts, p)
			for _, name := range bundleFileOrder {
				if b, ok := prevFiles[p.Folder+"/"+name]; ok {
					files[p.Folder+"/"+name] = b
				}
			}
		}
		for k, n := range prev.Redacted {
			redacted[k] += n
		}
	}
	if len(parts) >= MaxIncidentTickets {
		return nil, &IncidentFullError{Incident: in.Incident.ID}
	}
	_, oneFiles, err := unpack(one.Zip)
	if err != nil {
		return nil, err
	}
	part := IncidentTicket{Ticket: ticket, Folder: folderFor(ticket, parts), CreatedAt: one.Manifest.CreatedAt,
		Verdict: one.Manifest.Verdict, Checklist: one.Manifest.Checklist}
	parts = append(parts, part)
	for name, b := range oneFiles {
		files[part.Folder+"/"+name] = b
	}
	for k, n := range one.Manifest.Redacted {
		redacted[k] += n
	}

	inc := in.Incident
	inc.Tickets = parts
	if inc.Linked == nil {
		inc.Linked = []string{}
	}
	m := *one.Manifest
	m.Ticket, m.Incident, m.Redacted, m.Files = inc.ID, &inc, redacted, nil
	var order []string
	for _, p := range parts {
		for _, name := range bundleFileOrder {
			if b, ok := files[p.Folder+"/"+name]; ok {
				sum := sha256.Sum256(b)
				m.Files = append(m.Files, FileEntry{Name: p.Folder + "/" + name, SHA256: hex.EncodeToString(sum[:]), Size: len(b)})
				order = append(order, p.Folder+"/"+name)
			}
		}
	}
	manifestJSON, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		return nil, err
	}
	var signature []byte
	if key != nil {
		signature = signManifest(*key, manifestJSON)
	}
	named := make([]namedFile, 0, len(order))
	for _, name := range order {
		named = append(named, namedFile{name: name, data: files[name]})
	}
	zipped, err := writeZip(in.Add.CreatedAt, manifestJSON, signature, named)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(zipped)
	return &Bundle{Zip: zipped, Manifest: &m, SHA256: hex.EncodeToString(sum[:])}, nil
}

// unpack reads a bundle built here or verified already: its manifest and its other files
// (the signature left out: a changed manifest is signed afresh or not at all).
func unpack(data []byte) (*Manifest, map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, err
	}
	var m *Manifest
	files := map[string][]byte{}
	for _, f := range zr.File {
		if f.Name == SignatureFile {
			continue
		}
		b, err := readEntry(f)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if f.Name == ManifestFile {
			m = &Manifest{}
			if err := json.Unmarshal(b, m); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", ManifestFile, err)
			}
			continue
		}
		files[f.Name] = b
	}
	if m == nil {
		return nil, nil, fmt.Errorf("%s is missing", ManifestFile)
	}
	return m, files, nil
}

// IncidentKey is the Idempotency-Key under which an incident's bundle is sent, whatever it
// holds by then: the intake opens one ticket for the incident and answers later sends of its
// updated bundle with that ticket. It is derived from the incident's failure and opening time
// as well as its id, since two journals may each number an incident INC-1.
func IncidentKey(inc *IncidentManifest) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{"triagem.incident", inc.ID, inc.Environment, inc.Route, inc.ErrorClass, inc.OpenedAt}, "\x00")))
	return hex.EncodeToString(sum[:])
}

// What verify accepts of an incident's bundle, called from VerifyWith's stages.

// entryName is badName, but for the one shape of a name in a folder that an incident's bundle
// uses: a safe folder name, then one of a bundle's own file names. Whether the manifest is an
// incident's is known only later (refuseFolders).
func entryName(name string) Problem {
	folder, file, ok := strings.Cut(name, "/")
	if ok && plainFolder(folder) && slices.Contains(bundleFileOrder, file) {
		return Problem{}
	}
	return badName(name)
}

// refuseFolders refuses, once the manifest is read and is not an incident's, every entry in a
// folder, in the words the structure's check uses for any other bad name.
func refuseFolders(m *Manifest, files map[string]*zip.File) Problems {
	if m.Incident != nil {
		return nil
	}
	var names []string
	for name := range files {
		if strings.Contains(name, "/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var problems Problems
	for _, name := range names {
		why := badName(name)
		problems = append(problems, Problem{Reason: fmt.Sprintf("entry %s: %s", showName(name), why.Reason),
			Motivo: fmt.Sprintf("arquivo %s do zip: %s", showName(name), why.Motivo)})
	}
	return problems
}

// listedName is badName for a file the manifest lists: in an incident's bundle, a ticket's
// file in its folder.
func listedName(m *Manifest, name string) Problem {
	if m.Incident != nil && strings.Contains(name, "/") {
		return entryName(name)
	}
	return badName(name)
}

// tooManyEntries counts a zip's files per folder: a bundle's top, and each ticket's folder,
// hold at most maxEntries; the whole zip is bounded already by maxHeaders.
func tooManyEntries(entries []*zip.File) Problems {
	per := map[string]int{}
	for _, f := range entries {
		folder, _, ok := strings.Cut(f.Name, "/")
		if !ok {
			folder = ""
		}
		per[folder]++
	}
	for _, n := range per {
		if n > maxEntries {
			return Problems{problem("o zip tem %d arquivos; um pacote tem no máximo %d", "the zip holds %d files; a bundle has at most %d", len(entries), maxEntries)}
		}
	}
	return nil
}

// checkIncident is the procedure's part for an incident's bundle: every ticket's folder
// complete, every ticket's own grounds (complete evidence, a reason to escalate), nothing at
// the top but the manifest, and the manifest's verdict one of its tickets'.
func checkIncident(m *Manifest) Problems {
	inc := m.Incident
	var problems Problems
	if len(inc.Tickets) == 0 {
		problems = append(problems, problem("manifest.json: o incidente %s não tem nenhum chamado", "manifest.json: incident %s holds no ticket", plain(inc.ID)))
	}
	if len(inc.Tickets) > MaxIncidentTickets {
		problems = append(problems, problem("manifest.json: o incidente tem %d chamados; um pacote de incidente tem no máximo %d", "manifest.json: the incident holds %d tickets; an incident's bundle holds at most %d", len(inc.Tickets), MaxIncidentTickets))
	}
	listed := map[string]bool{}
	for _, fe := range m.Files {
		listed[fe.Name] = true
		if !strings.Contains(fe.Name, "/") {
			problems = append(problems, problem("%s: um pacote de incidente guarda os arquivos de cada chamado na pasta dele", "%s: an incident's bundle keeps each ticket's files in its folder", fe.Name))
		}
	}
	folders := map[string]bool{}
	matches := false
	for _, p := range inc.Tickets {
		if !plainFolder(p.Folder) || folders[strings.ToLower(p.Folder)] {
			problems = append(problems, problem("manifest.json: a pasta %s do chamado %s não é um nome simples e único", "manifest.json: folder %s of ticket %s is not a plain, unique name", showName(p.Folder), plain(p.Ticket)))
			continue
		}
		folders[strings.ToLower(p.Folder)] = true
		for _, want := range []string{VerdictFile, CaseFile, SummaryFile, RedactionFile} {
			if !listed[p.Folder+"/"+want] {
				problems = append(problems, problem("%s/%s: todo chamado de um pacote de incidente deve trazê-lo", "%s/%s: every ticket of an incident's bundle must carry it", p.Folder, want))
			}
		}
		for _, pr := range checkGrounds(&Manifest{Verdict: p.Verdict, Checklist: p.Checklist}) {
			problems = append(problems, Problem{Reason: p.Folder + "/: " + pr.Reason, Motivo: p.Folder + "/: " + pr.Motivo})
		}
		if p.Verdict == m.Verdict {
			matches = true
		}
	}
	for name := range listed {
		folder, _, ok := strings.Cut(name, "/")
		if ok && !folders[strings.ToLower(folder)] {
			problems = append(problems, problem("%s: a pasta não é de nenhum chamado do incidente", "%s: the folder is no ticket's of the incident", name))
		}
	}
	if len(inc.Tickets) > 0 && !matches {
		problems = append(problems, problem("manifest.json: o veredito não é o de nenhum chamado do incidente", "manifest.json: its verdict is none of the incident's tickets'"))
	}
	return problems
}

// verdictCategory is the category a verdict.json must hold: the manifest's for a ticket's
// bundle, its ticket's for one in an incident's folder; false for any other file.
func verdictCategory(m *Manifest, name string) (string, bool) {
	if m.Incident == nil {
		return m.Verdict.Category, name == VerdictFile
	}
	folder, file, ok := strings.Cut(name, "/")
	if !ok || file != VerdictFile {
		return "", false
	}
	for _, p := range m.Incident.Tickets {
		if p.Folder == folder {
			return p.Verdict.Category, true
		}
	}
	return "", true // a folder of no ticket: no category matches
}
