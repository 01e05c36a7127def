package evidence_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/crefazon/triagem/evidence"
)

// zEntry is one entry of a hand-made zip: a header (name, mode, attributes) and its content,
// or, with raw, content already compressed and sizes declared by the header (possibly lies).
type zEntry struct {
	hdr  zip.FileHeader
	data []byte
	raw  bool
}

func entry(name string, data []byte) zEntry {
	return zEntry{hdr: zip.FileHeader{Name: name, Method: zip.Deflate}, data: data}
}

func makeZip(t testing.TB, entries []zEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := e.hdr
		var err error
		if e.raw {
			w, err2 := zw.CreateRaw(&h)
			if err2 == nil {
				_, err2 = w.Write(e.data)
			}
			err = err2
		} else {
			w, err2 := zw.CreateHeader(&h)
			if err2 == nil {
				_, err2 = w.Write(e.data)
			}
			err = err2
		}
		if err != nil {
			t.Fatalf("%s: %v", e.hdr.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bundleEntries is a fresh, valid bundle's files, in order.
func bundleEntries(t testing.TB) []zEntry {
	t.Helper()
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, nil)
	return bundleEntriesOf(t, build(t, c, v).Zip)
}

// bundleEntriesOf is a zip's files, in order, as makeZip takes them.
func bundleEntriesOf(t testing.TB, data []byte) []zEntry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []zEntry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var data bytes.Buffer
		data.ReadFrom(rc)
		rc.Close()
		out = append(out, entry(f.Name, data.Bytes()))
	}
	return out
}

// withManifestListing returns the entries with name added to the manifest's list of files.
func withManifestListing(t testing.TB, entries []zEntry, names ...string) []zEntry {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(entries[0].data, &m); err != nil || entries[0].hdr.Name != "manifest.json" {
		t.Fatalf("the first entry is not the manifest: %v", err)
	}
	files := m["files"].([]any)
	for _, n := range names {
		files = append(files, map[string]any{"name": n, "sha256": strings.Repeat("0", 64), "size": 1})
	}
	m["files"] = files
	b, _ := json.Marshal(m)
	out := append([]zEntry{entry("manifest.json", b)}, entries[1:]...)
	return out
}

func deflated(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// Every class of hostile bundle is refused with a reason naming the entry, before anything
// in it is decompressed (a CPF planted in the hostile entry is never reported as found).
func TestVerifyRefusesHostileBundles(t *testing.T) {
	red := defaultRules(t).Redaction
	const planted = "cpf 529.982.247-25\n"
	withMode := func(name string, mode fs.FileMode) zEntry {
		e := entry(name, []byte(planted))
		e.hdr.SetMode(mode)
		return e
	}
	unixAttrs := func(name string, creator uint16, attrs uint32) zEntry {
		e := entry(name, []byte(planted))
		e.hdr.CreatorVersion = creator<<8 | 20
		e.hdr.ExternalAttrs = attrs
		return e
	}
	zeros := make([]byte, 4<<20)
	bomb := zEntry{hdr: zip.FileHeader{Name: "case.yaml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(zeros),
		UncompressedSize64: uint64(len(zeros))}, data: deflated(t, zeros), raw: true}
	bomb.hdr.CompressedSize64 = uint64(len(bomb.data))
	huge := zEntry{hdr: zip.FileHeader{Name: "case.yaml", Method: zip.Deflate, UncompressedSize64: 250 << 20, CompressedSize64: 250 << 10},
		data: make([]byte, 16), raw: true}
	big := func(name string) zEntry {
		return zEntry{hdr: zip.FileHeader{Name: name, Method: zip.Store, UncompressedSize64: 50 << 20, CompressedSize64: 50 << 20},
			data: make([]byte, 16), raw: true}
	}
	encrypted := entry("notes.txt", []byte(planted))
	encrypted.hdr.Flags |= 0x1

	tests := []struct {
		name  string
		edit  func([]zEntry) []zEntry
		wants []string
	}{
		{"an absolute path", func(e []zEntry) []zEntry { return append(e, entry("/etc/cron.d/x", []byte(planted))) },
			[]string{`entry "/etc/cron.d/x": is an absolute path`}},
		{"a parent path", func(e []zEntry) []zEntry { return append(e, entry("../../.bashrc", []byte(planted))) },
			[]string{`entry "../../.bashrc": climbs out of its folder`}},
		{"a parent path inside", func(e []zEntry) []zEntry { return append(e, entry("a/../../x", []byte(planted))) },
			[]string{`entry "a/../../x": climbs out of its folder`}},
		{"a backslash", func(e []zEntry) []zEntry { return append(e, entry(`..\..\evil.bat`, []byte(planted))) },
			[]string{`entry "..\..\evil.bat": name holds a backslash`}},
		{"a drive letter", func(e []zEntry) []zEntry { return append(e, entry("C:/Users/x/evil.txt", []byte(planted))) },
			[]string{`entry "C:/Users/x/evil.txt": name starts with a drive letter`}},
		{"a drive-relative name", func(e []zEntry) []zEntry { return append(e, entry("d:evil.txt", []byte(planted))) },
			[]string{`entry "d:evil.txt": name starts with a drive letter`}},
		{"a folder by name", func(e []zEntry) []zEntry { return append(e, entry("docs/", nil)) },
			[]string{`entry "docs/": is a folder`}},
		{"a file in a folder", func(e []zEntry) []zEntry { return append(e, entry("sub/case.yaml", []byte(planted))) },
			[]string{`entry "sub/case.yaml": is inside a folder`}},
		{"a terminal escape in a name", func(e []zEntry) []zEntry { return append(e, entry("a\x1b[2Jb", []byte(planted))) },
			[]string{`entry "a\x1b[2Jb": name holds control characters`}},
		{"an empty name", func(e []zEntry) []zEntry { return append(e, entry("", []byte(planted))) },
			[]string{`entry "": has no name`}},
		{"a symbolic link", func(e []zEntry) []zEntry { return append(e, withMode("notes.txt", fs.ModeSymlink|0o777)) },
			[]string{`entry "notes.txt": is a symbolic link`}},
		{"a symbolic link replacing a listed file", func(e []zEntry) []zEntry {
			return append(e[:2], append([]zEntry{withMode("case.yaml", fs.ModeSymlink|0o777)}, e[3:]...)...)
		}, []string{`entry "case.yaml": is a symbolic link`}},
		{"a symbolic link from a system archive/zip reads no mode for", func(e []zEntry) []zEntry {
			return append(e, unixAttrs("notes.txt", 99, 0xA1FF<<16))
		}, []string{`entry "notes.txt": is a symbolic link`}},
		{"a folder by mode", func(e []zEntry) []zEntry { return append(e, withMode("notes", fs.ModeDir|0o755)) },
			[]string{`entry "notes": is a folder`}},
		{"an MS-DOS folder", func(e []zEntry) []zEntry { return append(e, unixAttrs("notes", 0, 0x10)) },
			[]string{`entry "notes": is a folder`}},
		{"a device", func(e []zEntry) []zEntry { return append(e, withMode("zero", fs.ModeDevice|fs.ModeCharDevice|0o666)) },
			[]string{`entry "zero": is not a regular file`}},
		{"a named pipe", func(e []zEntry) []zEntry { return append(e, withMode("pipe", fs.ModeNamedPipe|0o666)) },
			[]string{`entry "pipe": is not a regular file`}},
		{"a duplicate name", func(e []zEntry) []zEntry { return append(e, entry("case.yaml", []byte(planted))) },
			[]string{`entry "case.yaml": appears twice in the zip`}},
		{"a name differing by case", func(e []zEntry) []zEntry { return append(e, entry("CASE.yaml", []byte(planted))) },
			[]string{`entry "CASE.yaml": differs from "case.yaml" only by case`}},
		{"an encrypted entry", func(e []zEntry) []zEntry { return append(e, encrypted) },
			[]string{`entry "notes.txt": is encrypted`}},
		{"an entry the manifest does not list", func(e []zEntry) []zEntry { return append(e, entry("notes.txt", []byte(planted))) },
			[]string{"notes.txt: not listed in the manifest: refused unread"}},
		{"a listed entry absent from the zip", func(e []zEntry) []zEntry { return withManifestListing(t, e, "anexo.pdf") },
			[]string{"anexo.pdf: listed in the manifest but missing"}},
		{"a manifest listing a file twice", func(e []zEntry) []zEntry { return withManifestListing(t, e, "case.yaml") },
			[]string{"manifest.json: lists case.yaml twice"}},
		{"a manifest listing a parent path", func(e []zEntry) []zEntry {
			return append(withManifestListing(t, e, "../x"), entry("../x", []byte(planted)))
		}, []string{`entry "../x": climbs out`}},
		{"a manifest listing a parent path absent from the zip", func(e []zEntry) []zEntry { return withManifestListing(t, e, "../x") },
			[]string{`manifest.json: file "../x": climbs out`}},
		{"a zip bomb entry", func(e []zEntry) []zEntry { return append(e[:2], append([]zEntry{bomb}, e[3:]...)...) },
			[]string{`entry "case.yaml": compressed`, "a zip bomb?"}},
		{"an entry declaring 250 MiB", func(e []zEntry) []zEntry { return append(e[:2], append([]zEntry{huge}, e[3:]...)...) },
			[]string{`entry "case.yaml": 250 MiB uncompressed; a file of a bundle is at most 64 MiB`}},
		{"entries adding up to too much", func(e []zEntry) []zEntry { return append(e, big("a.txt"), big("b.txt"), big("c.txt")) },
			[]string{"the zip holds 15", "MiB uncompressed; a bundle holds at most 128 MiB"}},
		{"too many entries", func(e []zEntry) []zEntry {
			for i := range 20 {
				e = append(e, entry(strings.Repeat("x", i+1), nil))
			}
			return e
		}, []string{"the zip holds 2", "files; a bundle has at most 16"}},
		{"a directory of thousands of headers", func(e []zEntry) []zEntry {
			for i := range 3000 {
				e = append(e, entry(strings.Repeat("y", i+1), nil))
			}
			return e
		}, []string{"file headers; a bundle has at most 16 files: refused unread"}},
		{"no manifest", func(e []zEntry) []zEntry { return e[1:] }, []string{"manifest.json is missing"}},
		{"a terminal escape in the manifest's verdict", func(e []zEntry) []zEntry {
			e[0].data = bytes.Replace(e[0].data, []byte(`"category": "no-apparent-cause"`), []byte(`"category": "x\u001b]0;pwned\u0007"`), 1)
			return e
		}, []string{`verdict: "x\x1b]0;pwned\a" names a cause`}},
		{"a corrupted file", func(e []zEntry) []zEntry {
			raw := zEntry{hdr: zip.FileHeader{Name: "case.yaml", Method: zip.Store, CRC32: 12345,
				UncompressedSize64: uint64(len(e[2].data)), CompressedSize64: uint64(len(e[2].data))}, data: e[2].data, raw: true}
			return append(e[:2], append([]zEntry{raw}, e[3:]...)...)
		}, []string{"case.yaml: unreadable: zip: checksum error"}},
		{"a file holding more than it declares", func(e []zEntry) []zEntry {
			raw := zEntry{hdr: zip.FileHeader{Name: "case.yaml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(e[2].data),
				UncompressedSize64: 10, CompressedSize64: uint64(len(e[2].data))}, data: e[2].data, raw: true}
			return append(e[:2], append([]zEntry{raw}, e[3:]...)...)
		}, []string{"case.yaml: unreadable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := bundleEntries(t)
			if entries[2].hdr.Name != "case.yaml" {
				t.Fatalf("the bundle's third file is %s, not case.yaml", entries[2].hdr.Name)
			}
			_, problems := evidence.Verify(red, makeZip(t, tt.edit(entries)))
			all := problems.Text("en")
			if len(problems) == 0 {
				t.Fatal("verified")
			}
			for _, w := range tt.wants {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
			if strings.Contains(all, "cpf in clear") || strings.Contains(all, "\x1b") {
				t.Errorf("a hostile entry was read, or its name printed raw:\n%s", all)
			}
			pt := problems.Text("pt-BR")
			if strings.Contains(pt, "\x1b") {
				t.Errorf("a hostile name printed raw in Portuguese:\n%s", pt)
			}
			for _, p := range problems {
				if w := englishIn(p.Motivo); p.Motivo == "" || w != "" {
					t.Errorf("the Portuguese of %q is %q (English word %q)", p.Reason, p.Motivo, w)
				}
			}
		})
	}
}

// englishWordRE finds an English sentence's common words; prose, not names, is checked:
// names from the zip come quoted, file names and ids hold a dot, a dash or an underscore.
var (
	englishWordRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(the|and|of|is|are|to|with|for|not|must|missing|want|got|listed|unreadable|entry|file|zip: checksum|in clear)(?:[^\p{L}]|$)`)
	notProseRE    = regexp.MustCompile(`"[^"]*"|\S*[._-]\S*`)
)

// englishIn is an English word in a Portuguese text, "" when there is none.
func englishIn(text string) string {
	if m := englishWordRE.FindStringSubmatch(notProseRE.ReplaceAllString(text, " ")); m != nil {
		return m[1]
	}
	return ""
}

func TestVerifyRefusesOversizeData(t *testing.T) {
	_, problems := evidence.Verify(defaultRules(t).Redaction, make([]byte, evidence.MaxBundleSize+1))
	if len(problems) != 1 || !strings.Contains(problems[0].Reason, "a bundle is at most 32 MiB") {
		t.Errorf("problems: %v", problems)
	}
}

// ReadBundle reads only a regular file, and never more than a bundle can be.
func TestReadBundle(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "b.zip")
	os.WriteFile(good, []byte("PK"), 0o600)
	sparse := filepath.Join(dir, "sparse.zip")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil { // 2 GiB, no disk used
		t.Fatal(err)
	}
	f.Close()
	tests := []struct {
		path, refused string
	}{
		{good, ""},
		{dir, "is a folder, not a bundle file"},
		{sparse, "is 2048 MiB; a bundle is at most 32 MiB"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct{ path, refused string }{"/dev/zero", "is a device, not a bundle file"})
	}
	if fifo := makeFIFO(t, dir); fifo != "" {
		tests = append(tests, struct{ path, refused string }{fifo, "is a named pipe, not a bundle file"})
	}
	for _, tt := range tests {
		data, err := evidence.ReadBundle(tt.path)
		var re *evidence.RefusedError
		switch {
		case tt.refused == "" && (err != nil || string(data) != "PK"):
			t.Errorf("%s: %q, %v", tt.path, data, err)
		case tt.refused != "" && (!errors.As(err, &re) || !strings.Contains(err.Error(), tt.refused) || !strings.HasPrefix(err.Error(), tt.path+": ")):
			t.Errorf("%s: %v, want a refusal naming it: %s", tt.path, err, tt.refused)
		}
	}
	// A missing file is bad input, not a refused bundle.
	if _, err := evidence.ReadBundle(filepath.Join(dir, "missing.zip")); err == nil || errors.As(err, new(*evidence.RefusedError)) {
		t.Errorf("missing file: %v", err)
	}
}
