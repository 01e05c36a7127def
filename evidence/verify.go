package evidence

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"aead.dev/minisign"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/rules"
)

// What a bundle may be, and so what verify ever reads. Real bundles are small: a case with a
// 10 MB payload full of personal data makes a 1.8 MB zip holding 17 MB, its largest file
// (case.yaml) 17 MB at 9:1. The caps leave room above that; a file beyond them is refused
// before anything is decompressed, so a hostile one costs no more than its caps.
const (
	MaxBundleSize    = 32 << 20  // the zip file itself, read whole into memory (send posts those bytes)
	maxEntries       = 16        // files in a bundle: 6 or 7 today
	maxHeaders       = 64        // central directory signatures in the whole file (see countHeaders)
	maxEntrySize     = 64 << 20  // one file, uncompressed
	maxTotalSize     = 128 << 20 // all files, uncompressed
	maxRatio         = 200       // uncompressed over compressed size, for a file above ratioFloor
	ratioFloor       = 1 << 20   // below this a file cannot be a bomb, whatever its ratio
	maxManifestSize  = 1 << 20   // manifest.json, read before anything else
	maxSignatureSize = 4 << 10   // manifest.json.minisig: a few hundred bytes
)

// SignatureFile is the manifest's detached minisign signature, inside the bundle. The manifest
// holds the SHA-256 of every other file and verify refuses any file it does not list, so
// signing the manifest signs the bundle's whole content.
const SignatureFile = ManifestFile + ".minisig"

// VerifyOptions says what else a bundle must satisfy.
type VerifyOptions struct {
	// PublicKey, when set, requires SignatureFile, made by this key over manifest.json.
	PublicKey *minisign.PublicKey
}

// RefusedError is a file refused as a bundle before it is read: not a regular file, or too
// large. The CLI exits 4 on it, as on any verification problem.
type RefusedError struct {
	Path   string
	Reason string // in English
	Motivo string // the same, in Portuguese
}

func (e *RefusedError) Error() string { return e.Path + ": " + e.Reason }

// Problem is one reason a bundle fails verification, in both languages, whole sentences each.
type Problem struct {
	Reason string // in English
	Motivo string // the same, in Portuguese
}

func (p Problem) String() string { return p.Reason }

// Text is the problem in lang ("en", or Portuguese for anything else, the users' language).
func (p Problem) Text(lang string) string {
	if lang == "en" {
		return p.Reason
	}
	return p.Motivo
}

// problem words a problem in both languages, each from its own format.
func problem(motivo, reason string, args ...any) Problem {
	return Problem{Reason: fmt.Sprintf(reason, args...), Motivo: fmt.Sprintf(motivo, args...)}
}

// Problems is every problem found in a bundle.
type Problems []Problem

// Text is every problem in lang, one a line.
func (ps Problems) Text(lang string) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Text(lang)
	}
	return strings.Join(lines, "\n")
}

// ReadBundle reads a bundle file, trusting nothing about it: only a regular file is read
// (not a folder, a device such as /dev/zero, a named pipe or a socket, which open would block
// on or never finish reading), and never more than MaxBundleSize bytes. A missing or unreadable
// file is an ordinary error (bad input); a file refused as a bundle is a *RefusedError.
func ReadBundle(path string) ([]byte, error) {
	st, err := os.Stat(path) // before open: opening a named pipe blocks until a writer comes
	if err != nil {
		return nil, err
	}
	if reason, motivo := notRegular(st.Mode()); reason != "" {
		return nil, &RefusedError{path, reason, motivo}
	}
	if st.Size() > MaxBundleSize {
		return nil, &RefusedError{path, tooLarge(st.Size()), grandeDemais(st.Size())}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// What was opened is what was looked at: not swapped for something else in between.
	if fst, err := f.Stat(); err != nil {
		return nil, err
	} else if !os.SameFile(st, fst) || !fst.Mode().IsRegular() {
		return nil, &RefusedError{path, "changed while it was being opened; not read", "mudou enquanto era aberto; não foi lido"}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxBundleSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBundleSize {
		return nil, &RefusedError{path, tooLarge(int64(len(data))), grandeDemais(int64(len(data)))}
	}
	return data, nil
}

// notRegular says, in English and in Portuguese, why a file type is no bundle.
func notRegular(m fs.FileMode) (string, string) {
	switch t := m.Type(); {
	case t == 0:
		return "", ""
	case t&fs.ModeDir != 0:
		return "is a folder, not a bundle file", "é uma pasta, não um arquivo de pacote"
	case t&fs.ModeNamedPipe != 0:
		return "is a named pipe, not a bundle file", "é um pipe nomeado, não um arquivo de pacote"
	case t&fs.ModeSocket != 0:
		return "is a socket, not a bundle file", "é um socket, não um arquivo de pacote"
	case t&fs.ModeDevice != 0 || t&fs.ModeCharDevice != 0:
		return "is a device, not a bundle file", "é um dispositivo, não um arquivo de pacote"
	default:
		return fmt.Sprintf("is not a regular file (%v)", t), fmt.Sprintf("não é um arquivo comum (%v)", t)
	}
}

func grandeDemais(n int64) string {
	return fmt.Sprintf("tem %d MiB; um pacote tem no máximo %d MiB (os reais têm poucos MB): recusado sem ler", n>>20, MaxBundleSize>>20)
}

func tooLarge(n int64) string {
	return fmt.Sprintf("is %d MiB; a bundle is at most %d MiB (real ones are a few MB): refused unread", n>>20, MaxBundleSize>>20)
}

// Verify checks a bundle: the manifest's checksums and sizes, the evidence checklist, the
// escalation's grounds, and that no secret or personal data is in clear. It returns the
// manifest (when readable) and every problem found; none means the bundle may go.
func Verify(red rules.Redaction, data []byte) (*Manifest, Problems) {
	return VerifyWith(red, data, VerifyOptions{})
}

// VerifyWith is Verify with options (a required signature). It reads in three stages, each
// refusing before the next: the zip's structure, from its central directory alone (names,
// types, sizes, ratios; nothing decompressed); the manifest against the zip's list of files;
// then each file, one at a time, checked against the manifest and scanned for anything in
// clear. At most one file (maxEntrySize) is held decompressed at any moment.
func VerifyWith(red rules.Redaction, data []byte, opts VerifyOptions) (*Manifest, Problems) {
	return verify(red, data, opts, nil)
}

// builtFiles is what Build hands verify of the bundle it wrote: each file's bytes as they
// went into the zip (manifest.json included), and what Scan found in them, scanned while the
// zip was being compressed. A spliced case.yaml is never put together (caseYAML): its bytes
// here are nil, and only its scan, made from its parts, is read.
type builtFiles struct {
	data  map[string][]byte
	scans map[string]scanned
}

type scanned struct {
	findings []Finding
	err      error
}

// verify is VerifyWith; built, when not nil, is the bundle's files as Build wrote them into
// data, and their scans: their content and findings are taken from there instead of being
// decompressed from data, hashed and scanned again, and every other check runs as for any
// bundle.
func verify(red rules.Redaction, data []byte, opts VerifyOptions, built *builtFiles) (*Manifest, Problems) {
	var written map[string][]byte
	if built != nil {
		written = built.data
	}
	if len(data) > MaxBundleSize {
		return nil, Problems{{tooLarge(int64(len(data))), grandeDemais(int64(len(data)))}}
	}
	if n := countHeaders(data); n > maxHeaders {
		return nil, Problems{problem("o zip tem %d cabeçalhos de arquivo; um pacote tem no máximo %d arquivos: recusado sem ser lido", "the zip holds %d file headers; a bundle has at most %d files: refused unread", n, maxEntries)}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are refused below, by name
		// zip's own words stay in the English text
		return nil, Problems{{Reason: fmt.Sprintf("not a zip bundle: %v", err), Motivo: "não é um pacote zip: o arquivo não é um zip, ou está corrompido ou incompleto"}}
	}
	files, problems := checkStructure(zr.File)
	if len(problems) > 0 {
		return nil, problems
	}

	mf, ok := files[ManifestFile]
	if !ok {
		return nil, Problems{problem("falta o manifest.json: não é um pacote do triagem", "manifest.json is missing: not a triagem bundle")}
	}
	if mf.UncompressedSize64 > maxManifestSize {
		return nil, Problems{problem("manifest.json: %d bytes; um manifesto tem no máximo %d KiB", "manifest.json: %d bytes; a manifest is at most %d KiB", mf.UncompressedSize64, maxManifestSize>>10)}
	}
	raw, ok := written[ManifestFile]
	if !ok {
		if raw, err = readEntry(mf); err != nil {
			return nil, Problems{unreadable(ManifestFile, err)}
		}
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, Problems{{Reason: fmt.Sprintf("manifest.json: %v", err), Motivo: "manifest.json: não é um JSON de manifesto válido"}}
	}
	if problems := refuseFolders(&m, files); len(problems) > 0 {
		return nil, problems
	}
	if problems := checkMembership(&m, files); len(problems) > 0 {
		return nil, problems
	}
	if m.Schema != BundleSchema {
		problems = append(problems, problem("manifest.json: esquema %q, esperado %q", "manifest.json: schema %q, want %q", m.Schema, BundleSchema))
	}
	problems = append(problems, checkSignature(raw, files[SignatureFile], opts)...)

	listed := map[string]bool{ManifestFile: true}
	for _, fe := range m.Files {
		listed[fe.Name] = true
	}
	if m.Incident != nil {
		problems = append(problems, checkIncident(&m)...)
	} else {
		for _, want := range []string{VerdictFile, CaseFile, SummaryFile, RedactionFile} {
			if !listed[want] {
				problems = append(problems, problem("%s: todo pacote deve trazê-lo", "%s: a bundle must carry it", want))
			}
		}
		problems = append(problems, checkGrounds(&m)...)
	}

	// One file at a time: read (capped), checked against the manifest, scanned, dropped.
	scan := func(name string, b []byte) {
		var findings []Finding
		var err error
		if sc, ok := built.scanOf(name); ok {
			findings, err = sc.findings, sc.err
		} else {
			findings, err = Scan(red, name, b)
		}
		if err != nil {
			problems = append(problems, Problem{Reason: fmt.Sprintf("%s: cannot scan: %v", name, err), Motivo: fmt.Sprintf("%s: não pôde ser examinado em busca de dados em claro", name)})
			return
		}
		for _, f := range findings {
			problems = append(problems, problem("%s:%d: %s em claro", "%s:%d: %s in clear", f.File, f.Line, f.Kind))
		}
	}
	scan(ManifestFile, raw)
	for _, fe := range m.Files {
		b, ok := written[fe.Name]
		if !ok {
			if b, err = readEntry(files[fe.Name]); err != nil {
				problems = append(problems, unreadable(fe.Name, err))
				continue
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != fe.SHA256 || len(b) != fe.Size {
				problems = append(problems, problem("%s: o checksum ou o tamanho não conferem com o manifesto (alterado depois de montado)", "%s: checksum or size does not match the manifest (altered after it was built)", fe.Name))
			}
		}
		if want, ok := verdictCategory(&m, fe.Name); ok {
			var vv struct {
				Category string `json:"category"`
			}
			if json.Unmarshal(b, &vv) != nil || vv.Category != want {
				problems = append(problems, problem("%s: a categoria não confere com a do manifesto", "%s: its category does not match the manifest's", fe.Name))
			}
		}
		scan(fe.Name, b)
	}
	return &m, problems
}

func (b *builtFiles) scanOf(name string) (scanned, bool) {
	if b == nil {
		return scanned{}, false
	}
	sc, ok := b.scans[name]
	return sc, ok
}

// countHeaders counts the central directory's header signature in the whole file. It is here,
// hand-written, because archive/zip loads every header its central directory holds (whatever
// count the end record declares) before any can be looked at: a hostile 32 MiB file of empty
// headers would cost hundreds of MB. Each header archive/zip can load starts with this
// signature, so the count bounds them; in compressed data it turns up by chance about once in
// 4 GiB, so a real bundle is far below maxHeaders.
func countHeaders(data []byte) int {
	return bytes.Count(data, []byte("PK\x01\x02"))
}

// checkStructure looks at the zip's central directory alone: every name, type, size and ratio,
// before anything is decompressed. It returns the entries by name.
func checkStructure(entries []*zip.File) (map[string]*zip.File, Problems) {
	var problems Problems
	if problems := tooManyEntries(entries); problems != nil {
		return nil, problems
	}
	files := map[string]*zip.File{}
	folded := map[string]string{}
	var total uint64
	for _, f := range entries {
		name := f.Name
		// The entry's name comes first as its place, in both languages (not glued into a sentence).
		refuseWhy := func(p Problem) {
			p.Reason = fmt.Sprintf("entry %s: %s", showName(name), p.Reason)
			p.Motivo = fmt.Sprintf("arquivo %s do zip: %s", showName(name), p.Motivo)
			problems = append(problems, p)
		}
		refuse := func(motivo, reason string, args ...any) { refuseWhy(problem(motivo, reason, args...)) }
		if why := entryName(name); why.Reason != "" {
			refuseWhy(why)
			continue
		}
		if why := entryType(f); why.Reason != "" {
			refuseWhy(why)
			continue
		}
		if _, dup := files[name]; dup {
			refuse("aparece duas vezes no zip", "appears twice in the zip")
			continue
		}
		if other, dup := folded[strings.ToLower(name)]; dup {
			refuse("difere de %s só por maiúsculas e minúsculas: seria o mesmo arquivo depois de extraído no Windows ou no macOS", "differs from %s only by case: the same file once extracted on Windows or macOS", showName(other))
			continue
		}
		files[name] = f
		folded[strings.ToLower(name)] = name
		if f.Flags&0x1 != 0 {
			refuse("está criptografado", "is encrypted")
			continue
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			refuse("método de compressão %d; um pacote usa deflate ou nenhum", "compression method %d; a bundle uses deflate or none", f.Method)
			continue
		}
		size := f.UncompressedSize64
		if size > maxEntrySize {
			refuse("%d MiB descompactado; um arquivo de pacote tem no máximo %d MiB", "%d MiB uncompressed; a file of a bundle is at most %d MiB", size>>20, maxEntrySize>>20)
			continue
		}
		if size > ratioFloor && (f.CompressedSize64 == 0 || size/f.CompressedSize64 > maxRatio) {
			refuse("compactado a %d:1 ou mais; os arquivos de um pacote são texto, compactados bem abaixo de %d:1 (uma bomba zip?)", "compressed %d:1 or more; a bundle's files are text, compressed well under %d:1 (a zip bomb?)", size/max(f.CompressedSize64, 1), maxRatio)
			continue
		}
		if f.Name == SignatureFile && size > maxSignatureSize {
			refuse("%d bytes; uma assinatura tem no máximo %d", "%d bytes; a signature is at most %d", size, maxSignatureSize)
			continue
		}
		total += size
	}
	if total > maxTotalSize {
		problems = append(problems, problem("o zip tem %d MiB descompactado; um pacote tem no máximo %d MiB", "the zip holds %d MiB uncompressed; a bundle holds at most %d MiB", total>>20, maxTotalSize>>20))
	}
	return files, problems
}

// badName says why a name cannot be a bundle's file: a bundle is flat, its names plain.
// The zero Problem when it can.
func badName(name string) Problem {
	switch {
	case name == "":
		return problem("não tem nome", "has no name")
	case !utf8.ValidString(name):
		return problem("o nome não é UTF-8 válido", "name is not valid UTF-8")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		return problem("o nome tem caracteres de controle", "name holds control characters")
	case strings.Contains(name, `\`):
		return problem("o nome tem uma barra invertida (um caminho do Windows)", "name holds a backslash (a Windows path)")
	case len(name) >= 2 && name[1] == ':' && (name[0]|0x20) >= 'a' && (name[0]|0x20) <= 'z':
		return problem("o nome começa com uma letra de unidade", "name starts with a drive letter")
	case strings.HasPrefix(name, "/"):
		return problem("é um caminho absoluto", "is an absolute path")
	case name == ".." || strings.HasPrefix(name, "../") || strings.HasSuffix(name, "/..") || strings.Contains(name, "/../"):
		return problem("sai da sua pasta (..)", "climbs out of its folder (..)")
	case strings.HasSuffix(name, "/"):
		return problem("é uma pasta", "is a folder")
	case strings.Contains(name, "/"):
		return problem("está dentro de uma pasta; os arquivos de um pacote ficam todos na raiz", "is inside a folder; a bundle's files are all at its top")
	case name == ".":
		return problem("não é um nome de arquivo", "is not a file name")
	}
	return Problem{}
}

// entryType says why an entry is not a regular file, from its external attributes: the Unix
// mode in the high half (symbolic links, devices, pipes), the MS-DOS folder bit, as archive/zip
// reads them; and the Unix file type whatever system the zip claims to come from.
func entryType(f *zip.File) Problem {
	const unixTypeMask, unixRegular, unixSymlink = 0xF000, 0x8000, 0xA000
	m := f.Mode()
	unixType := (f.ExternalAttrs >> 16) & unixTypeMask
	switch {
	case m&fs.ModeSymlink != 0 || unixType == unixSymlink:
		return problem("é um link simbólico", "is a symbolic link")
	case m.IsDir():
		return problem("é uma pasta", "is a folder")
	case m.Type() != 0 || (unixType != 0 && unixType != unixRegular):
		return problem("não é um arquivo comum (modo %v)", "is not a regular file (mode %v)", m)
	}
	return Problem{}
}

// unreadable is a file of the zip that cannot be decompressed; archive/zip's words stay in
// the English text.
func unreadable(name string, err error) Problem {
	return Problem{Reason: fmt.Sprintf("%s: unreadable: %v", name, err),
		Motivo: fmt.Sprintf("%s: ilegível: os dados compactados estão corrompidos ou não conferem com o que o zip declara", name)}
}

// showName quotes a name that may hold anything (it came from the zip) when it is not plain.
func showName(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) || r == '"' }) >= 0 || !utf8.ValidString(name) {
		return strconv.QuoteToASCII(name)
	}
	return `"` + name + `"`
}

// plain shows a text from the manifest (a category, a checklist id) as it is when it is plain,
// quoted otherwise: it goes to a terminal, where control characters would act.
func plain(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 || !utf8.ValidString(s) {
		return strconv.QuoteToASCII(s)
	}
	return s
}

// checkMembership matches the manifest's list with the zip's: each listed once, with a plain
// name; none missing; nothing in the zip that the manifest does not list (but the signature).
func checkMembership(m *Manifest, files map[string]*zip.File) Problems {
	var problems Problems
	listed := map[string]bool{}
	for _, fe := range m.Files {
		switch {
		case listedName(m, fe.Name).Reason != "":
			why := listedName(m, fe.Name)
			problems = append(problems, Problem{Reason: fmt.Sprintf("manifest.json: file %s: %s", showName(fe.Name), why.Reason),
				Motivo: fmt.Sprintf("manifest.json: arquivo %s: %s", showName(fe.Name), why.Motivo)})
		case fe.Name == ManifestFile || fe.Name == SignatureFile:
			problems = append(problems, problem("manifest.json: lista %s, o que não pode", "manifest.json: lists %s, which it cannot", fe.Name))
		case listed[fe.Name]:
			problems = append(problems, problem("manifest.json: lista %s duas vezes", "manifest.json: lists %s twice", fe.Name))
		case files[fe.Name] == nil:
			problems = append(problems, problem("%s: listado no manifesto, mas ausente", "%s: listed in the manifest but missing", fe.Name))
		}
		listed[fe.Name] = true
	}
	var extra []string
	for name := range files {
		if !listed[name] && name != ManifestFile && name != SignatureFile {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		problems = append(problems, problem("%s: não está listado no manifesto: recusado sem ser lido", "%s: not listed in the manifest: refused unread", name))
	}
	return problems
}

// checkGrounds is the procedure's part: complete evidence, and a reason to escalate.
func checkGrounds(m *Manifest) Problems {
	var problems Problems
	seen := map[string]bool{}
	for _, it := range m.Checklist {
		seen[it.ID] = true
		if !it.Present {
			problems = append(problems, problem("lista de evidências: falta %s", "evidence checklist: %s is missing", plain(it.ID)))
		}
	}
	for _, id := range append(append([]string{}, diagnose.EvidenceItems...), PriorAnalysisItem) {
		if !seen[id] {
			problems = append(problems, problem("lista de evidências: %s não está listado", "evidence checklist: %s is not listed", id))
		}
	}
	switch v := m.Verdict; {
	case v.Category == "no-apparent-cause" && v.Escalate:
	case v.Category == "no-apparent-cause":
		problems = append(problems, problem("veredicto: no-apparent-cause sem escalonamento: a análise prévia estava incompleta", "verdict: no-apparent-cause without escalate: the prior analysis was incomplete"))
	case v.Category == "evidence-incomplete":
		problems = append(problems, problem("veredicto: evidence-incomplete nunca é escalonado", "verdict: evidence-incomplete is never escalated"))
	case !v.Forced || v.Reason == "":
		problems = append(problems, problem("veredicto: %s aponta uma causa, e o pacote não foi forçado com um motivo", "verdict: %s names a cause and the bundle was not forced with a reason", plain(v.Category)))
	}
	return problems
}

// checkSignature checks the manifest's signature when a public key is given; without one, a
// signature present is only bounded in size (checkStructure), not trusted.
func checkSignature(manifest []byte, sig *zip.File, opts VerifyOptions) Problems {
	if opts.PublicKey == nil {
		return nil
	}
	if sig == nil {
		return Problems{problem("%s: ausente: o pacote não está assinado, e uma chave pública foi informada", "%s: missing: the bundle is not signed, and a public key was given", SignatureFile)}
	}
	text, err := readEntry(sig)
	if err != nil {
		return Problems{unreadable(SignatureFile, err)}
	}
	var s minisign.Signature
	if err := s.UnmarshalText(text); err != nil {
		return Problems{problem("%s: não é uma assinatura minisign", "%s: not a minisign signature", SignatureFile)}
	}
	if s.KeyID != opts.PublicKey.ID() {
		return Problems{problem("%s: assinado pela chave %X, não pela chave pública informada (%X)", "%s: signed by key %X, not by the public key given (%X)", SignatureFile, s.KeyID, opts.PublicKey.ID())}
	}
	if !minisign.Verify(*opts.PublicKey, manifest, text) {
		return Problems{problem("%s: não confere com o manifest.json (alterado depois de assinado, ou assinatura forjada)", "%s: does not match manifest.json (altered after it was signed, or a forged signature)", SignatureFile)}
	}
	return nil
}

// readEntry decompresses one entry into a buffer of the size it declares (already capped),
// never more: data beyond it is refused, as is a wrong CRC (archive/zip checks it at the end).
func readEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxEntrySize {
		return nil, fmt.Errorf("declares %d MiB", f.UncompressedSize64>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b := make([]byte, f.UncompressedSize64)
	if _, err := io.ReadFull(rc, b); err != nil {
		return nil, err
	}
	more, err := io.ReadAll(io.LimitReader(rc, 1)) // reaches the end, where the CRC is checked
	if err != nil {
		return nil, err
	}
	if len(more) > 0 {
		return nil, errors.New("holds more than it declares")
	}
	return b, nil
}
