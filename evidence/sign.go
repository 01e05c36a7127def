package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"aead.dev/minisign"
)

// Signing: a bundle may carry a minisign signature (Ed25519) of its manifest, made with the
// support team's secret key, so that an intake holding the public key can tell a bundle built
// by triagem from one rebuilt by hand. The signature covers manifest.json; the manifest holds
// every other file's SHA-256 and verify refuses a file it does not list, so the whole content
// is covered, and the signature travels inside the one file that send posts. It is not of the
// zip's bytes: it could not sit inside what it signs, and a second file beside the bundle would
// be lost on the way to the intake.

// ErrKeyEncrypted is a secret key that needs its password, and none was given.
var ErrKeyEncrypted = errors.New("the secret key is encrypted and no password was given")

// ParseSecretKey reads a minisign secret key file: encrypted (decrypted with password; scrypt
// as minisign sets it, about a second and up to 1 GiB of memory) or unencrypted (minisign -W).
// Its errors never hold the password.
func ParseSecretKey(text []byte, password string) (minisign.PrivateKey, error) {
	var key minisign.PrivateKey
	if minisign.IsEncrypted(text) {
		if password == "" {
			return key, ErrKeyEncrypted
		}
		k, err := minisign.DecryptKey(password, text)
		if err != nil {
			return key, errors.New("cannot decrypt the secret key: wrong password, or a damaged key")
		}
		return k, nil
	}
	if err := key.UnmarshalText(text); err != nil {
		return key, errors.New("not a minisign secret key")
	}
	return key, nil
}

// ParsePublicKey reads a minisign public key file (or its one base64 line).
func ParsePublicKey(text []byte) (minisign.PublicKey, error) {
	var key minisign.PublicKey
	if err := key.UnmarshalText([]byte(strings.TrimSpace(string(text)))); err != nil {
		return key, errors.New("not a minisign public key")
	}
	return key, nil
}

// signManifest signs the manifest's exact bytes. Ed25519 is deterministic and the trusted
// comment holds no time, so the same bundle signed twice is the same bytes (the same
// Idempotency-Key when sent).
func signManifest(key minisign.PrivateKey, manifest []byte) []byte {
	sum := sha256.Sum256(manifest)
	trusted := fmt.Sprintf("%s manifest.json sha256:%s", BundleSchema, hex.EncodeToString(sum[:]))
	untrusted := fmt.Sprintf("triagem escalation bundle, signed by key %X", key.ID())
	return minisign.SignWithComments(key, manifest, trusted, untrusted)
}

// PublicOf is the public half of a secret key.
func PublicOf(key minisign.PrivateKey) minisign.PublicKey {
	return key.Public().(minisign.PublicKey)
}
