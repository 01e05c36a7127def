package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/crefazon/triagem/render"
)

// installHelp replaces cobra's help and usage templates with writeHelp, which lays the text
// out for the screen's width and titles its sections in the user's language. It is Go
// rather than a template because cobra's template functions are global to the process,
// and the width and the language belong to this run.
func (a *app) installHelp(root *cobra.Command) {
	root.SetHelpFunc(func(cmd *cobra.Command, _ []string) { a.writeHelp(cmd.OutOrStdout(), cmd, true) })
	root.SetUsageFunc(func(cmd *cobra.Command) error { a.writeHelp(cmd.OutOrStderr(), cmd, false); return nil })
}

func (a *app) writeHelp(w io.Writer, cmd *cobra.Command, withIntro bool) {
	width := a.screenWidth()
	var b strings.Builder
	if withIntro {
		intro := cmd.Long
		if intro == "" {
			intro = cmd.Short
		}
		if intro = strings.TrimSpace(intro); intro != "" {
			b.WriteString(reflow(intro, width))
			b.WriteString("\n\n")
		}
	}
	b.WriteString(a.T("Uso:", "Usage:"))
	if cmd.Runnable() {
		b.WriteString("\n" + wrapShell("  "+cmd.UseLine(), width))
	}
	if cmd.HasAvailableSubCommands() {
		b.WriteString("\n  " + cmd.CommandPath() + " " + a.T("[comando]", "[command]"))
	}
	if cmd.HasExample() {
		b.WriteString("\n\n" + a.T("Exemplos:", "Examples:") + "\n")
		b.WriteString(wrapExample(cmd.Example, width))
	}
	if cmd.HasAvailableSubCommands() {
		b.WriteString("\n\n" + a.T("Comandos disponíveis:", "Available commands:"))
		pad := 0
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				pad = max(pad, len(sub.Name()))
			}
		}
		for _, sub := range cmd.Commands() {
			if !sub.IsAvailableCommand() {
				continue
			}
			b.WriteString("\n" + hang(fmt.Sprintf("  %-*s  ", pad, sub.Name()), sub.Short, width))
		}
	}
	if cmd.HasAvailableLocalFlags() {
		b.WriteString("\n\n" + a.T("Flags:", "Flags:") + "\n")
		b.WriteString(a.flagUsages(cmd.LocalFlags(), width))
	}
	if cmd.HasAvailableInheritedFlags() {
		b.WriteString("\n\n" + a.T("Flags globais:", "Global flags:") + "\n")
		b.WriteString(a.flagUsages(cmd.InheritedFlags(), width))
	}
	if cmd.HasAvailableSubCommands() {
		b.WriteString("\n\n" + render.WrapText(a.T(
			"Use \"%s [comando] --help\" para saber mais sobre um comando.",
			"Use \"%s [command] --help\" for more information about a command.", cmd.CommandPath()), width))
	}
	b.WriteString("\n")
	io.WriteString(w, b.String())
}

// flagUsages lists the flags for width in the user's language: pflag's own listing names a
// value by its Go type ("string") and says "(default x)", in English.
func (a *app) flagUsages(fs *pflag.FlagSet, width int) string {
	type entry struct{ left, usage string }
	var entries []entry
	longest := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		varname, usage := pflag.UnquoteUsage(f)
		if varname != "" {
			left += " " + a.valueName(varname)
		}
		if def := defaultText(f); def != "" {
			usage += " " + a.T("(padrão %s)", "(default %s)", def)
		}
		entries = append(entries, entry{left, usage})
		longest = max(longest, len([]rune(left)))
	})
	var lines []string
	for _, e := range entries {
		head := e.left + strings.Repeat(" ", longest-len([]rune(e.left))+3)
		lines = append(lines, hang(head, e.usage, width))
	}
	return strings.Join(lines, "\n")
}

// valueName words the name pflag gives a flag's value when its usage names none.
func (a *app) valueName(name string) string {
	switch name {
	case "string":
		return a.T("texto", "string")
	case "duration":
		return a.T("duração", "duration")
	case "int", "int64", "uint", "uint64":
		return a.T("número", "number")
	}
	return name
}

// defaultText is a flag's default as help shows it, or "" when it is the type's zero value.
func defaultText(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "bool":
		return ""
	case "string":
		if f.DefValue == "" {
			return ""
		}
		return fmt.Sprintf("%q", f.DefValue)
	case "duration":
		if f.DefValue == "0s" {
			return ""
		}
	case "int", "int64", "uint", "uint64":
		if f.DefValue == "0" {
			return ""
		}
	}
	return f.DefValue
}

// hangColumn finds where a definition's text starts in "  TERM   text": after the term and
// its run of two or more spaces.
var hangColumn = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\s+\S(?:\S| \S)*\s{2,})\S`) })

// reflow lays out a long help text for width: the lines of a paragraph are joined and
// wrapped again; an indented line (a list, a definition) is kept on its own and, when too
// long, continues under the text of its definition.
func reflow(text string, width int) string {
	text = strings.ReplaceAll(text, "\t", "    ") // a tab's width depends on the terminal
	var out []string
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, render.WrapText(strings.Join(para, " "), width))
			para = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			flush()
			out = append(out, "")
		case strings.HasPrefix(line, " "):
			flush()
			if len([]rune(line)) <= width {
				out = append(out, line)
				continue
			}
			head := line[:len(line)-len(strings.TrimLeft(line, " "))]
			if m := hangColumn().FindStringSubmatch(line); m != nil {
				head = m[1]
			}
			out = append(out, hang(head, line[len(head):], width))
		default:
			para = append(para, line)
		}
	}
	flush()
	return strings.Join(out, "\n")
}

// hang writes head (kept as it is, a term and its spacing) followed by text wrapped at
// width, the continuation lines starting under text.
func hang(head, text string, width int) string {
	indent := strings.Repeat(" ", len([]rune(head)))
	if len([]rune(head)) > width/2 {
		indent = strings.Repeat(" ", len(head)-len(strings.TrimLeft(head, " "))+2)
	}
	var lines []string
	cur := head
	fresh := true // nothing after the head yet
	for _, word := range strings.Fields(text) {
		if !fresh && len([]rune(cur))+1+len([]rune(word)) > width {
			lines = append(lines, cur)
			cur, fresh = indent, true
		}
		if !fresh {
			cur += " "
		}
		cur += word
		fresh = false
	}
	return strings.Join(append(lines, cur), "\n")
}

// wrapExample lays out an Example block: comments wrap as comments, commands as shell
// commands continued with a backslash, never inside a quoted argument.
func wrapExample(text string, width int) string {
	var out []string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		lead := line[:len(line)-len(trimmed)]
		if strings.HasPrefix(trimmed, "#") {
			out = append(out, hangPrefixed(line, lead+"# ", width))
			continue
		}
		out = append(out, wrapShell(line, width))
	}
	return strings.Join(out, "\n")
}

// hangPrefixed wraps a comment line at width; each line starts with prefix ("  # ").
func hangPrefixed(line, prefix string, width int) string {
	if len([]rune(line)) <= width {
		return line
	}
	var lines []string
	cur := prefix
	for _, word := range strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "#")) {
		if cur != prefix && len([]rune(cur))+1+len([]rune(word)) > width {
			lines = append(lines, cur)
			cur = prefix
		}
		if cur != prefix {
			cur += " "
		}
		cur += word
	}
	return strings.Join(append(lines, cur), "\n")
}

// wrapShell wraps a shell command at width with " \" continuations, splitting only between
// arguments (a quoted argument with spaces stays whole).
func wrapShell(line string, width int) string {
	if len([]rune(line)) <= width {
		return line
	}
	lead := line[:len(line)-len(strings.TrimLeft(line, " "))]
	args := flagsWithValues(shellFields(strings.TrimSpace(line)))
	indent := lead + "    "
	var lines []string
	cur := lead
	for k := 0; k < len(args); k++ {
		arg := args[k]
		switch {
		case strings.TrimSpace(cur) == "":
			cur += arg
		case len([]rune(cur))+1+len([]rune(arg))+2 > width && arg != `\`:
			flag, value, grouped := strings.Cut(arg, " ")
			if grouped && len([]rune(indent))+len([]rune(arg))+2 > width && !strings.HasPrefix(flag, `"`) {
				// Too long even on a line of its own: the flag and its value part.
				args = append(args[:k], append([]string{flag, value}, args[k+1:]...)...)
				k--
				continue
			}
			lines = append(lines, cur+` \`)
			cur = indent + arg
		default:
			cur += " " + arg
		}
	}
	return strings.Join(append(lines, cur), "\n")
}

// flagsWithValues keeps a flag and its value together ("--user alfa.maria"), so that a
// wrapped command still reads flag by flag.
func flagsWithValues(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if strings.HasPrefix(arg, "-") && len(arg) > 1 && !strings.Contains(arg, "=") &&
			i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && args[i+1] != `\` {
			arg += " " + args[i+1]
			i++
		}
		out = append(out, arg)
	}
	return out
}

// shellFields splits a command line at spaces outside quotes.
func shellFields(s string) []string {
	var fields []string
	var cur strings.Builder
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote = r
			cur.WriteRune(r)
		case r == ' ':
			if cur.Len() > 0 {
				fields = append(fields, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		fields = append(fields, cur.String())
	}
	return fields
}
