package main

import (
	"encoding/base64"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The team signs its bundles; an intake holding the public key tells them from hand-made ones.
func TestEscalateSignAndVerifyPub(t *testing.T) {
	dir := t.TempDir()
	key, pub := filepath.Join(dir, "equipe.key"), filepath.Join(dir, "equipe.pub")
	code, stdout, stderr := runApp(t, nil, "escalate", "keygen", "--secret", key, "--public", pub)
	if code != 0 || !strings.Contains(stdout, "chave ") || !strings.Contains(stderr, "não está cifrada") {
		t.Fatalf("keygen: exit %d\n%s%s", code, stdout, stderr)
	}
	if st, err := os.Stat(key); err != nil || runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("secret key: %v %v, want mode 0600", err, st)
	}
	otherKey, otherPub := filepath.Join(dir, "outra.key"), filepath.Join(dir, "outra.pub")
	if code, _, stderr := runApp(t, nil, "escalate", "keygen", "--secret", otherKey, "--public", otherPub); code != 0 {
		t.Fatalf("keygen: %s", stderr)
	}
	if code, _, stderr := runApp(t, nil, "escalate", "keygen", "--secret", key, "--public", filepath.Join(dir, "x.pub")); code != exitInput || !strings.Contains(stderr, "nunca sobrescreve") {
		t.Errorf("keygen over an existing key: exit %d %s", code, stderr)
	}

	escalate := func(out string, extra ...string) (int, string) {
		args := append([]string{"escalate", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "../../testdata/directory.yaml", "--out", out}, extra...)
		code, _, stderr := runApp(t, nil, args...)
		return code, stderr
	}
	signed, unsigned := filepath.Join(dir, "assinado.zip"), filepath.Join(dir, "sem-assinatura.zip")
	if code, stderr := escalate(signed, "--sign", key); code != 0 {
		t.Fatalf("escalate --sign: exit %d\n%s", code, stderr)
	}
	if code, stderr := escalate(unsigned); code != 0 {
		t.Fatalf("escalate: exit %d\n%s", code, stderr)
	}
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		output string
	}{
		{"signed, right key", []string{"escalate", "verify", signed, "--pub", pub}, 0, "assinatura conferida: chave"},
		{"signed, no key", []string{"escalate", "verify", signed}, 0, "ok: 5 arquivos"},
		{"signed, another key", []string{"escalate", "verify", signed, "--pub", otherPub}, exitRefused, "manifest.json.minisig: assinado pela chave"},
		{"signed, another key, in English", []string{"escalate", "verify", signed, "--pub", otherPub, "--lang", "en"}, exitRefused, "manifest.json.minisig: signed by key"},
		{"unsigned, a key", []string{"escalate", "verify", unsigned, "--pub", pub}, exitRefused, "manifest.json.minisig: ausente: o pacote não está assinado"},
		{"send checks it too", []string{"escalate", "send", unsigned, "--to", "https://intake.example.com/t", "--dry-run", "--pub", pub}, exitRefused, "não está assinado"},
		{"a secret key given as --pub", []string{"escalate", "verify", signed, "--pub", key}, exitInput, "--pub " + key + ": não é uma chave pública minisign"},
		{"a missing --pub", []string{"escalate", "verify", signed, "--pub", filepath.Join(dir, "nada.pub")}, exitInput, "--pub: arquivo de chave"},
		{"a folder as --pub", []string{"escalate", "verify", signed, "--pub", dir}, exitInput, "não é um arquivo comum"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runApp(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.output) {
				t.Errorf("exit %d, want %d with %q\n%s%s", code, tt.code, tt.output, stdout, stderr)
			}
		})
	}

	// --sign's errors: bad input, exit 2, nothing written.
	out := filepath.Join(dir, "nunca.zip")
	for _, tt := range []struct {
		name, key, want string
	}{
		{"a public key as --sign", pub, "não é uma chave secreta minisign"},
		{"a missing key", filepath.Join(dir, "nada.key"), "--sign: arquivo de chave"},
	} {
		if code, stderr := escalate(out, "--sign", tt.key); code != exitInput || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, want 2 with %q\n%s", tt.name, code, tt.want, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: a bundle was written", tt.name)
		}
	}
	// An encrypted key needs its password from the environment, never a flag.
	text, _ := os.ReadFile(key)
	encrypted := filepath.Join(dir, "cifrada.key")
	os.WriteFile(encrypted, markEncrypted(t, text), 0o600)
	if code, stderr := escalate(out, "--sign", encrypted); code != exitInput || !strings.Contains(stderr, "$TRIAGEM_SIGN_PASSWORD") {
		t.Errorf("an encrypted key without password: exit %d\n%s", code, stderr)
	}
}

// markEncrypted marks a minisign secret key as scrypt-encrypted (cheap costs): a key that
// needs a password, in the file format.
func markEncrypted(t *testing.T, text []byte) []byte {
	t.Helper()
	head, body, _ := strings.Cut(string(text), "\n")
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(body))
	if err != nil || len(raw) < 54 {
		t.Fatalf("not a key: %v", err)
	}
	binary.LittleEndian.PutUint16(raw[2:], 0x6353) // "Sc"
	binary.LittleEndian.PutUint64(raw[38:], 1<<15)
	binary.LittleEndian.PutUint64(raw[46:], 1<<16)
	return []byte(head + "\n" + base64.StdEncoding.EncodeToString(raw) + "\n")
}

// --out must be a file name: a device or a pipe there would be replaced by the rename.
func TestEscalateOutNotARegularFile(t *testing.T) {
	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	code, stdout, stderr := runApp(t, nil, "escalate", "../../testdata/cases/sem-causa-aparente.yaml", "--directory", "../../testdata/directory.yaml", "--out", "/dev/null")
	if code != exitInput || !strings.Contains(stderr, "--out /dev/null: não é um arquivo comum") || stdout != "" {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode().IsRegular() {
		t.Errorf("/dev/null was replaced: %v", err)
	}
}
