package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// localizeCobra gives cobra's own commands and flags (help, completion, --help) their texts
// in the user's language. Cobra adds them as it executes; they are added here first, so that
// their texts can be set.
func (a *app) localizeCobra(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		// The --help flag is declared here as cobra would (InitDefaultHelpFlag), with its text
		// in the user's language; cobra then finds it and adds none. InitDefaultHelpFlag itself
		// would first merge every parent's persistent flags into each of the ~60 commands, a
		// third of what --version costs after the inits: cobra does that for the command that
		// runs, when it runs.
		usage := a.T("mostra a ajuda de %s", "help for %s", cmd.Name())
		if f := cmd.Flags().Lookup("help"); f != nil {
			f.Usage = usage
		} else {
			cmd.Flags().BoolP("help", "h", false, usage)
			_ = cmd.Flags().SetAnnotation("help", cobra.FlagSetByCobraAnnotation, []string{"true"})
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if help, _, err := root.Find([]string{"help"}); err == nil && help.Name() == "help" {
		// cobra's help shows the root's help for a word it does not know; here it is an
		// unknown command, as everywhere else.
		help.Run = nil
		help.RunE = func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err != nil {
				return err
			}
			if len(rest) > 0 && target.HasAvailableSubCommands() {
				return a.unknownCommand(target, rest[0])
			}
			return target.Help()
		}
	}
	if a.language() == "en" {
		return // cobra's own texts are English
	}
	for _, cmd := range root.Commands() {
		switch cmd.Name() {
		case "help":
			cmd.Use = "help [comando]"
			cmd.Short = "Mostra a ajuda de qualquer comando"
			cmd.Long = "Mostra a ajuda de qualquer comando: triagem help [comando] [subcomando]."
		case "completion":
			cmd.Short = "Gera o script de autocompletar para o shell indicado"
			cmd.Long = "Gera o script de autocompletar do triagem para o shell indicado. A ajuda de cada subcomando diz como usar o script gerado."
			for _, sh := range cmd.Commands() {
				if t, ok := completionPT[sh.Name()]; ok {
					sh.Short, sh.Long = t[0], strings.TrimSpace(t[1])
				}
				if f := sh.Flags().Lookup("no-descriptions"); f != nil {
					f.Usage = "sem as descrições dos complementos"
				}
			}
		}
	}
}

// completionPT are the pt-BR texts of cobra's completion subcommands: short, long.
var completionPT = map[string][2]string{
	"bash": {"Gera o script de autocompletar para o bash", `
Gera o script de autocompletar para o bash. Ele depende do pacote bash-completion, que o
gerenciador de pacotes do sistema instala.

Para carregar os complementos na sessão atual:

  source <(triagem completion bash)

Para carregá-los em toda sessão nova, uma vez, no Linux:

  triagem completion bash > /etc/bash_completion.d/triagem

e no macOS:

  triagem completion bash > "$(brew --prefix)/etc/bash_completion.d/triagem"

Abra um novo shell para que a configuração valha.`},
	"zsh": {"Gera o script de autocompletar para o zsh", `
Gera o script de autocompletar para o zsh. Se os complementos ainda não estão ativos no seu
ambiente, ative-os uma vez:

  echo "autoload -U compinit; compinit" >> ~/.zshrc

Para carregar os complementos na sessão atual:

  source <(triagem completion zsh)

Para carregá-los em toda sessão nova, uma vez, no Linux:

  triagem completion zsh > "${fpath[1]}/_triagem"

e no macOS:

  triagem completion zsh > "$(brew --prefix)/share/zsh/site-functions/_triagem"

Abra um novo shell para que a configuração valha.`},
	"fish": {"Gera o script de autocompletar para o fish", `
Gera o script de autocompletar para o fish.

Para carregar os complementos na sessão atual:

  triagem completion fish | source

Para carregá-los em toda sessão nova, uma vez:

  triagem completion fish > ~/.config/fish/completions/triagem.fish

Abra um novo shell para que a configuração valha.`},
	"powershell": {"Gera o script de autocompletar para o PowerShell", `
Gera o script de autocompletar para o PowerShell.

Para carregar os complementos na sessão atual:

  triagem completion powershell | Out-String | Invoke-Expression

Para carregá-los em toda sessão nova, acrescente a saída do comando acima ao seu perfil do
PowerShell.`},
}
