package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Release builds stamp these with the linker (.goreleaser.yaml does):
//
//	go build -ldflags "-X main.releaseVersion=v1.4.0 -X main.releaseCommit=<sha> -X main.releaseDate=<RFC 3339>"
//
// Without them, the version and revision are the ones the go command embeds from the module
// and the VCS (go install ...@v1.4.0 gives the module's version; a clone, its commit).
var (
	releaseVersion string
	releaseCommit  string
	releaseDate    string
)

// buildInfo is what `triagem version` prints.
type buildInfo struct {
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// buildVersion reads the module version and VCS stamp that the go command embeds.
func buildVersion() buildInfo {
	b := buildInfo{Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.Version = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if releaseVersion != "" {
		b.Version = releaseVersion
	}
	// GoReleaser stamps "none" when git cannot tell the commit (a clone without a remote, in a
	// snapshot build): the go command's own VCS stamp, if any, is then the better word.
	if releaseCommit != "" && releaseCommit != "none" {
		// A release is built from a clean checkout of a tag: the stamp is the whole truth.
		b.Revision, b.Time, b.Modified = releaseCommit, releaseDate, false
	}
	if b.Version == "" || b.Version == "(devel)" {
		b.Version = "devel"
	}
	return b
}

// version is the one-word version for bundles and the User-Agent.
func version() string {
	b := buildVersion()
	if b.Revision != "" && !strings.Contains(b.Version, shortRev(b.Revision)) {
		return b.Version + "+" + shortRev(b.Revision)
	}
	return b.Version
}

func shortRev(r string) string {
	if len(r) > 12 {
		return r[:12]
	}
	return r
}

// text is the human form, for `triagem version` and --version.
func (b buildInfo) text(a *app) string {
	var s strings.Builder
	fmt.Fprintf(&s, "triagem %s\n", b.Version)
	switch {
	case b.Revision == "":
		s.WriteString(a.T("revisão: desconhecida (compilado sem informação do controle de versão)\n",
			"revision: unknown (built without version control information)\n"))
	case b.Modified:
		s.WriteString(a.T("revisão: %s (%s), com alterações locais\n", "revision: %s (%s), with local changes\n", b.Revision, b.Time))
	default:
		s.WriteString(a.T("revisão: %s (%s)\n", "revision: %s (%s)\n", b.Revision, b.Time))
	}
	fmt.Fprintf(&s, "%s %s\n", b.Go, b.Platform)
	return s.String()
}

func (a *app) newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use: "version",
		Short: a.T("Mostra a versão do triagem, a revisão no controle de versão e a versão do Go",
			"Print triagem's version, VCS revision and Go version"),
		Args: a.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := buildVersion()
			if a.output == "json" {
				return json.NewEncoder(a.versionOut()).Encode(b)
			}
			_, err := fmt.Fprint(a.versionOut(), b.text(a))
			return err
		},
	}
}

// versionOut is where the version is printed: past the output redactor, whose patterns would
// be compiled for nothing. The text is the build's own stamp (the linker's -X values, the
// go command's module and VCS settings) and fixed words: no input of the user's reaches it.
func (a *app) versionOut() io.Writer {
	if a.rawStdout != nil {
		return a.rawStdout
	}
	return a.stdout
}
