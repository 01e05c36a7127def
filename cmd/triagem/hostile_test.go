//go:build linux

package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// buildTestBinary builds triagem for tests that run it as a separate process.
func buildTestBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "triagem")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeZipBomb writes a zip of n entries of size bytes of zeros each, compressed once and
// stored n times: a few hundred KB per 250 MiB entry.
func writeZipBomb(t testing.TB, path string, n int, size int64) {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
	crc := crc32.NewIEEE()
	chunk := make([]byte, 1<<20)
	for written := int64(0); written < size; written += int64(len(chunk)) {
		fw.Write(chunk)
		crc.Write(chunk)
	}
	fw.Close()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := []string{"manifest.json", "verdict.json", "case.yaml", "summary.md", "token.json", "redaction.json", "anexo-1.txt", "anexo-2.txt"}
	for i := range n {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: names[i%len(names)], Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(size)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Hostile inputs to verify are refused (exit 4, a reason naming the file or entry), leave
// nothing behind, and cost little memory: the process's peak resident set stays under 100 MB.
func TestVerifyHostileInputsInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and a 2 GiB sparse file")
	}
	bin := buildTestBinary(t)
	dir := t.TempDir()
	sparse := filepath.Join(dir, "sparse.zip")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	bomb := filepath.Join(dir, "bomb.zip")
	writeZipBomb(t, bomb, 8, 250<<20)
	fifo := filepath.Join(dir, "pipe.zip")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder.zip")
	os.Mkdir(folder, 0o700)

	timeBin, _ := exec.LookPath("/usr/bin/time")
	for _, tt := range []struct {
		name, path string
		wants      []string
	}{
		{"/dev/zero", "/dev/zero", []string{"/dev/zero: o pacote foi recusado: é um dispositivo, não um arquivo de pacote"}},
		{"a sparse 2 GiB file", sparse, []string{"sparse.zip: o pacote foi recusado: tem 2048 MiB; um pacote tem no máximo 32 MiB"}},
		{"a zip bomb of 8 x 250 MiB", bomb, []string{`arquivo "case.yaml" do zip: 250 MiB descompactado`, `arquivo "anexo-2.txt" do zip: 250 MiB descompactado`}},
		{"a named pipe", fifo, []string{"pipe.zip: o pacote foi recusado: é um pipe nomeado"}},
		{"a folder", folder, []string{"folder.zip: o pacote foi recusado: é uma pasta"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cwd := t.TempDir()
			// Peak memory is read by /usr/bin/time: a child of this test process would report
			// the test's own peak, which Linux carries into a process across exec.
			rssFile := filepath.Join(dir, "rss-"+strings.ReplaceAll(tt.name, "/", "_"))
			cmd := exec.Command(bin, "escalate", "verify", tt.path)
			if timeBin != "" {
				cmd = exec.Command(timeBin, "-f", "%M", "-o", rssFile, bin, "escalate", "verify", tt.path)
			}
			cmd.Dir = cwd
			cmd.Env = append(os.Environ(), "HOME="+cwd, "XDG_CACHE_HOME="+cwd)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != exitRefused {
				t.Fatalf("exit %v, want 4\n%s%s", err, stdout.String(), stderr.String())
			}
			for _, w := range tt.wants {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %s", stdout.String())
			}
			if timeBin == "" {
				t.Log("no /usr/bin/time: peak memory not measured")
			} else if b, err := os.ReadFile(rssFile); err != nil {
				t.Error(err)
			} else if rss, err := strconv.Atoi(lastLine(string(b))); err != nil {
				t.Errorf("/usr/bin/time wrote %q", b)
			} else {
				t.Logf("%s: peak RSS %d MiB", tt.name, rss>>10) // KiB
				if rss > 100_000_000/1024 {
					t.Errorf("peak resident memory %d MiB, want under 100 MB", rss>>10)
				}
			}
			if left, _ := os.ReadDir(cwd); len(left) != 0 {
				t.Errorf("verify wrote into its working folder: %v", left)
			}
		})
	}
}

// lastLine is the last non-empty line of s (time puts "Command exited with ..." before).
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
