package evidence_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
)

// TestTextIsZip: what Bundle.Text gives for each file is what the zip holds, case.yaml with a
// small body (written whole) and with a large one (spliced); a file the bundle lacks is no
// text.
func TestTextIsZip(t *testing.T) {
	for _, size := range []int{0, 300 << 10} {
		c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, func(c *diagnose.Case) {
			if size > 0 {
				c.Request.Body = diagnose.Body{Raw: bigPayload(size), Present: true}
			}
		})
		b := build(t, c, v)
		zr, err := zip.NewReader(bytes.NewReader(b.Zip), int64(len(b.Zip)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == evidence.ManifestFile {
				continue // the manifest is Bundle.Manifest
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			want, _ := io.ReadAll(rc)
			rc.Close()
			got, ok := b.Text(f.Name)
			if !ok || got != string(want) {
				t.Errorf("body of %d bytes: Text(%s) = %d bytes, %v; the zip holds %d", size, f.Name, len(got), ok, len(want))
			}
		}
		for _, name := range []string{"nada.txt", evidence.ManifestFile} {
			if _, ok := b.Text(name); ok {
				t.Errorf("Text gives %s", name)
			}
		}
	}
}
