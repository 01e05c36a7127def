//go:build linux

package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writePayloadCase writes the no-apparent-cause case with a JSON payload of about size bytes
// (proposal records: ids, amounts, installments) and returns its path.
func writePayloadCase(t testing.TB, dir string, size int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"cliente": {"cpf": "529.982.247-25", "nome": "Maria", "nascimento": "1985-03-12"}, "profissional": {"ocupacaoId": 3}, "contato": {"telefone": "(11) 98765-4321"}, "endereco": {"cidadeId": 5270}, "operacao": {"urlNotificacao": "https://p.example.com/h"}, "historico": [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"id": %d, "valor": %d.50, "parcela": %d, "produto": "CP-%05d"}`, i, 1000+i, i%24, i%99999)
	}
	b.WriteString("]}")
	body, _ := json.Marshal(b.String())
	src, err := os.ReadFile("../../testdata/cases/sem-causa-aparente.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	start, end := strings.Index(s, "  body:\n"), strings.Index(s, "response:")
	s = s[:start] + "  body: " + string(body) + "\n" + s[end:]
	path := filepath.Join(dir, "case.yaml")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkWhole fails unless the zip at path is absent or complete: every entry there, every
// CRC right.
func checkWhole(t *testing.T, path string, run int) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatalf("run %d: --out holds a partial bundle: %v", run, err)
	}
	defer zr.Close()
	if len(zr.File) < 5 {
		t.Fatalf("run %d: --out holds %d files", run, len(zr.File))
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil {
			t.Fatalf("run %d: --out: %s: %v", run, f.Name, err)
		}
	}
}

func temporaryFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, ".triagem-*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// Escalations interrupted at random moments, by SIGTERM (which triagem catches) and SIGKILL
// (which nothing can), never leave a partial --out; SIGTERM leaves no temporary file; and
// the next run removes what SIGKILL left. The default run interrupts 16 escalations of a
// 1 MB payload (seconds); TRIAGEM_LONG_TESTS=1 interrupts 70 of a 10 MB payload
// (minutes: each escalation of it takes seconds).
func TestInterruptedEscalateLeavesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary many times")
	}
	runs, size := 16, 1<<20
	if os.Getenv("TRIAGEM_LONG_TESTS") != "" {
		runs, size = 70, 10<<20
	}
	bin := buildTestBinary(t)
	dir := t.TempDir()
	casePath := writePayloadCase(t, dir, size)
	outDir := filepath.Join(dir, "out")
	os.Mkdir(outDir, 0o700)
	out := filepath.Join(outDir, "SUP-4830.zip")
	args := []string{"escalate", casePath, "--directory", "../../testdata/directory.yaml", "--out", out}
	env := append(os.Environ(), "HOME="+dir, "XDG_CACHE_HOME="+dir)

	// One whole run: how long an escalation takes here.
	start := time.Now()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("a plain escalation: %v\n%s", err, b)
	}
	whole := time.Since(start)
	checkWhole(t, out, 0)

	// About how long the write lasts: 3 ms for a 10 MB payload's bundle, less for a smaller one.
	writeTime := max(time.Duration(size>>20)*300*time.Microsecond, 200*time.Microsecond)
	var caughtWriting, finished, leftBySIGKILL int
	for run := 1; run <= runs; run++ {
		sig := syscall.SIGTERM
		if run%2 == 0 {
			sig = syscall.SIGKILL
		}
		if run%4 == 1 {
			os.Remove(out) // half the time there is no previous bundle to keep
		}
		before, _ := os.Stat(out)
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		if run%3 == 0 {
			// Anywhere in the run.
			time.Sleep(time.Duration(rand.Int64N(int64(whole) * 5 / 4)))
		} else {
			// While the bundle is being written: as soon as its temporary file shows (or --out
			// changes, for a writer that would write it in place), then a little later (the
			// write takes milliseconds).
			pattern := filepath.Join(outDir, ".triagem-"+strconv.Itoa(cmd.Process.Pid)+"-*.tmp")
		watch:
			for {
				select {
				case <-done:
					break watch
				default:
				}
				m, _ := filepath.Glob(pattern)
				if now, err := os.Stat(out); len(m) > 0 || err == nil && (before == nil || !os.SameFile(before, now) || now.Size() != before.Size() || now.ModTime() != before.ModTime()) {
					caughtWriting++
					if len(m) > 0 { // --out changing in place is killed at once
						time.Sleep(time.Duration(rand.Int64N(int64(writeTime))))
					}
					break
				}
				time.Sleep(200 * time.Microsecond)
			}
		}
		cmd.Process.Signal(sig)
		<-done
		if cmd.ProcessState.ExitCode() == 0 {
			finished++
		}
		checkWhole(t, out, run)
		mine, _ := filepath.Glob(filepath.Join(outDir, ".triagem-"+strconv.Itoa(cmd.Process.Pid)+"-*.tmp"))
		switch {
		case sig == syscall.SIGTERM && len(mine) > 0:
			t.Fatalf("run %d: SIGTERM left %v", run, mine)
		case sig == syscall.SIGTERM && cmd.ProcessState.ExitCode() != 0 && cmd.ProcessState.ExitCode() != 143 && cmd.ProcessState.ExitCode() != -1:
			t.Errorf("run %d: SIGTERM: exit %d, want 143 (or killed before triagem set up its handler)", run, cmd.ProcessState.ExitCode())
		case sig == syscall.SIGKILL:
			leftBySIGKILL += len(mine)
		}
	}
	t.Logf("%d interrupted runs (a whole one takes %v): %d caught writing, %d finished first, %d temporary files left by SIGKILL",
		runs, whole.Round(time.Millisecond), caughtWriting, finished, leftBySIGKILL)

	// Plant an old temporary file from a process long gone, as a crash days ago would leave.
	stale := filepath.Join(outDir, ".triagem-1-424242.tmp")
	os.WriteFile(stale, []byte("PK partial"), 0o600)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)

	cmd = exec.Command(bin, args...)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the run after: %v\n%s", err, b)
	}
	checkWhole(t, out, runs+1)
	if left := temporaryFiles(t, outDir); len(left) > 0 {
		t.Errorf("temporary files remain after a normal run: %v", left)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no bundle after a normal run: %v", err)
	}
}
