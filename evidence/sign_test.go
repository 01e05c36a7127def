package evidence_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"

	"github.com/crefazon/triagem/evidence"
)

func genKey(t testing.TB) (minisign.PublicKey, minisign.PrivateKey) {
	t.Helper()
	pub, key, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, key
}

func TestSignedBundle(t *testing.T) {
	red := defaultRules(t).Redaction
	pub, key := genKey(t)
	otherPub, _ := genKey(t)
	c, v := diagnoseFile(t, "../testdata/cases/sem-causa-aparente.yaml", true, nil)
	signed := func() *evidence.Bundle {
		b, err := evidence.Build(evidence.BundleInput{Case: c, Verdict: v, Rules: defaultRules(t), ToolVersion: "test",
			CreatedAt: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC), SignKey: &key})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := signed()
	if again := signed(); again.SHA256 != b.SHA256 {
		t.Errorf("two signed builds of one case differ: a resent bundle would open a second ticket")
	}
	unsigned := build(t, c, v)

	tampered := bundleEntriesOf(t, b.Zip)
	tampered[0].data = bytes.Replace(tampered[0].data, []byte(`"ticket": "SUP-4830"`), []byte(`"ticket": "SUP-9999"`), 1)
	forged := bundleEntriesOf(t, b.Zip)
	if forged[1].hdr.Name != evidence.SignatureFile {
		t.Fatalf("the signature is not the second file: %s", forged[1].hdr.Name)
	}
	forged[1].data = []byte("untrusted comment: x\nnot a signature\n")

	tests := []struct {
		name string
		zip  []byte
		pub  *minisign.PublicKey
		want string // "" verifies
	}{
		{"signed, checked", b.Zip, &pub, ""},
		{"signed, no key given", b.Zip, nil, ""},
		{"unsigned, no key given", unsigned.Zip, nil, ""},
		{"unsigned, key given", unsigned.Zip, &pub, "manifest.json.minisig: missing: the bundle is not signed"},
		{"signed by another key", b.Zip, &otherPub, "manifest.json.minisig: signed by key"},
		{"manifest altered after signing", makeZip(t, tampered), &pub, "manifest.json.minisig: does not match manifest.json"},
		{"not a signature", makeZip(t, forged), &pub, "manifest.json.minisig: not a minisign signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := evidence.VerifyWith(red, tt.zip, evidence.VerifyOptions{PublicKey: tt.pub})
			all := problems.Text("en")
			switch {
			case tt.want == "" && len(problems) > 0:
				t.Errorf("refused: %s", all)
			case tt.want != "" && !strings.Contains(all, tt.want):
				t.Errorf("problems lack %q:\n%s", tt.want, all)
			}
		})
	}
}

func TestParseKeys(t *testing.T) {
	pub, key := genKey(t)
	keyText, _ := key.MarshalText()
	pubText, _ := pub.MarshalText()
	if k, err := evidence.ParseSecretKey(keyText, ""); err != nil || k.ID() != key.ID() {
		t.Errorf("an unencrypted key: %v", err)
	}
	if k, err := evidence.ParsePublicKey(append(pubText, '\n')); err != nil || k.ID() != pub.ID() {
		t.Errorf("a public key: %v", err)
	}
	if _, err := evidence.ParseSecretKey(pubText, ""); err == nil {
		t.Error("a public key read as a secret key")
	}
	if _, err := evidence.ParsePublicKey(keyText); err == nil {
		t.Error("a secret key read as a public key")
	}
	// An encrypted key (its KDF field says scrypt; cheap scrypt costs, so the test is quick).
	enc := withKDF(t, keyText, 1<<15, 1<<16)
	if _, err := evidence.ParseSecretKey(enc, ""); !errors.Is(err, evidence.ErrKeyEncrypted) {
		t.Errorf("an encrypted key without a password: %v", err)
	}
	const password = "senha-da-chave-nunca-mostrada"
	if _, err := evidence.ParseSecretKey(enc, password); err == nil || strings.Contains(err.Error(), password) {
		t.Errorf("a wrong password: %v", err)
	}
}

// withKDF marks a minisign secret key as scrypt-encrypted with the given costs, its bytes
// left as they are: a key no password opens, in the file format.
func withKDF(t *testing.T, text []byte, ops, mem uint64) []byte {
	t.Helper()
	head, body, _ := bytes.Cut(text, []byte("\n"))
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	binary.LittleEndian.PutUint16(raw[2:], 0x6353) // "Sc"
	binary.LittleEndian.PutUint64(raw[38:], ops)
	binary.LittleEndian.PutUint64(raw[46:], mem)
	return []byte(string(head) + "\n" + base64.StdEncoding.EncodeToString(raw) + "\n")
}

// A key encrypted by minisign's own costs (scrypt, 1 GiB of memory, seconds) opens with its
// password: run with TRIAGEM_LONG_TESTS=1.
func TestParseEncryptedKey(t *testing.T) {
	if os.Getenv("TRIAGEM_LONG_TESTS") == "" {
		t.Skip("scrypt with minisign's costs takes 1 GiB and seconds; TRIAGEM_LONG_TESTS=1 runs it")
	}
	_, key := genKey(t)
	enc, err := minisign.EncryptKey("certa", key)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := evidence.ParseSecretKey(enc, "certa"); err != nil || k.ID() != key.ID() {
		t.Errorf("the right password: %v", err)
	}
}
