package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"

	"aead.dev/minisign"
	"github.com/spf13/cobra"

	"github.com/crefazon/triagem/diagnose"
	"github.com/crefazon/triagem/evidence"
	"github.com/crefazon/triagem/internal/atomicfile"
)

// signPasswordEnv holds the password of an encrypted signing key: never a flag, which would
// show in the shell's history and the process list.
const signPasswordEnv = "TRIAGEM_SIGN_PASSWORD"

// maxKeyFile caps what is read of a key file: a minisign key is a few hundred bytes, and a
// mistaken path (/dev/zero, a bundle) must not be read whole.
const maxKeyFile = 4 << 10

// readKeyFile reads a small regular file the user named; anything else is bad input (exit 2).
func (a *app) readKeyFile(flag, path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &exitError{exitInput, fmt.Errorf("%s: %v", flag, a.fileError(path, keyFile, err))}
	}
	if !st.Mode().IsRegular() {
		return nil, inputError("%s", a.T("%s %s: não é um arquivo comum", "%s %s: not a regular file", flag, path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &exitError{exitInput, fmt.Errorf("%s: %v", flag, a.fileError(path, keyFile, err))}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, &exitError{exitInput, fmt.Errorf("%s: %v", flag, a.fileError(path, keyFile, err))}
	}
	if len(b) > maxKeyFile {
		return nil, inputError("%s", a.T("%s %s: maior que um arquivo de chave minisign", "%s %s: larger than a minisign key file", flag, path))
	}
	return b, nil
}

func (a *app) loadSecretKey(path string) (minisign.PrivateKey, error) {
	text, err := a.readKeyFile("--sign", path)
	if err != nil {
		return minisign.PrivateKey{}, err
	}
	k, err := evidence.ParseSecretKey(text, a.getenv(signPasswordEnv))
	switch {
	case errors.Is(err, evidence.ErrKeyEncrypted):
		return k, inputError("%s", a.T("--sign %s: a chave secreta é cifrada: ponha a senha em $%s", "--sign %s: the secret key is encrypted: put its password in $%s", path, signPasswordEnv))
	case err != nil:
		return k, inputError("%s", a.T(fmt.Sprintf("--sign %s: não é uma chave secreta minisign", path), fmt.Sprintf("--sign %s: %v", path, err)))
	}
	return k, nil
}

func (a *app) loadPublicKey(path string) (minisign.PublicKey, error) {
	text, err := a.readKeyFile("--pub", path)
	if err != nil {
		return minisign.PublicKey{}, err
	}
	k, err := evidence.ParsePublicKey(text)
	if err != nil {
		return k, inputError("%s", a.T(fmt.Sprintf("--pub %s: não é uma chave pública minisign", path), fmt.Sprintf("--pub %s: %v", path, err)))
	}
	return k, nil
}

func (a *app) newEscalateKeygenCommand() *cobra.Command {
	var secret, public string
	cmd := &cobra.Command{
		Use: a.T("keygen --secret ARQUIVO --public ARQUIVO", "keygen --secret FILE --public FILE"),
		Short: a.T("Gera o par de chaves minisign da equipe para assinar pacotes (escalate --sign, verify --pub)",
			"Make the team's minisign key pair for signing bundles (escalate --sign, verify --pub)"),
		Long: a.T(`Gera um par de chaves minisign (Ed25519): a chave secreta assina os pacotes (escalate --sign), a
pública, entregue à entrada do time de Code, os confere (escalate verify --pub). Os dois arquivos
estão no formato da ferramenta minisign. Com $`+signPasswordEnv+` definida, a chave secreta é cifrada
com ela (o scrypt do minisign: alguns segundos e 1 GiB de memória, aqui e a cada assinatura); sem
ela, é gravada sem cifra (modo 0600): guarde-a onde só a equipe consegue ler. Arquivos que já
existem nunca são sobrescritos.`,
			`Make a minisign (Ed25519) key pair: the secret key signs bundles (escalate --sign), the
public key, given to the intake, checks them (escalate verify --pub). Both files are the
minisign tool's format. With $`+signPasswordEnv+` set the secret key is encrypted with it
(minisign's scrypt: a few seconds and 1 GiB of memory, here and at each signing); without,
it is written unencrypted (mode 0600): keep it where only the team can read it.
Existing files are never overwritten.`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runKeygen(secret, public)
		},
	}
	cmd.Flags().StringVar(&secret, "secret", "", a.T("onde gravar a chave secreta", "where to write the secret key"))
	cmd.Flags().StringVar(&public, "public", "", a.T("onde gravar a chave pública", "where to write the public key"))
	_ = cmd.MarkFlagRequired("secret")
	_ = cmd.MarkFlagRequired("public")
	return cmd
}

func (a *app) runKeygen(secretPath, publicPath string) error {
	for flag, p := range map[string]string{"--secret": secretPath, "--public": publicPath} {
		if _, err := os.Lstat(p); err == nil {
			return inputError("%s", a.T("%s %s: já existe; keygen nunca sobrescreve uma chave", "%s %s: exists; keygen never overwrites a key", flag, p))
		}
	}
	pub, key, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gerando a chave: %v", "generating the key: %v", err))}
	}
	var secretText []byte
	password := a.getenv(signPasswordEnv)
	if password != "" {
		secretText, err = minisign.EncryptKey(password, key)
	} else {
		secretText, err = key.MarshalText()
	}
	if err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando a chave: %v", "writing the key: %v", err))}
	}
	publicText, _ := pub.MarshalText()
	if err := atomicfile.Write(secretPath, append(secretText, '\n'), 0o600); err != nil {
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando %s: %s", "writing %s: %s", secretPath, a.pathErr(err)))}
	}
	if err := atomicfile.Write(publicPath, append(publicText, '\n'), 0o644); err != nil {
		os.Remove(secretPath)
		return &exitError{exitDependency, fmt.Errorf("%s", a.T("gravando %s: %s", "writing %s: %s", publicPath, a.pathErr(err)))}
	}
	l := diagnose.Lang(a.lang)
	fmt.Fprintf(a.stdout, l.T("chave %X: secreta em %s, pública em %s\n", "key %X: secret in %s, public in %s\n"), pub.ID(), secretPath, publicPath)
	if password == "" {
		fmt.Fprintf(a.stderr, l.T("triagem: a chave secreta não está cifrada ($%s vazia): guarde-a onde só a equipe lê\n",
			"triagem: the secret key is not encrypted ($%s empty): keep it where only the team can read it\n"), signPasswordEnv)
	}
	return nil
}
