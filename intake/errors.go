package intake

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/crefazon/triagem/diagnose"
)

// Error is a reader's refusal: what is wrong and where, in words a person reads in pt-BR or
// English. Its Error() is the English text; Text(lang) renders either. Errors about a file
// (HAR, raw HTTP) carry their Place and unwrap to a *diagnose.InputError; those that say the
// text is not a curl or PowerShell command at all unwrap to ErrNotCurl or ErrNotPowerShell.
type Error struct {
	Place  string // file, file:line or file:line:col; "" when the message places itself
	Format string // the English text with placeholders; its pt-BR twin is in errorsPT
	Args   []any  // never a secret: positions, option names, kinds, counts
	kind   error
}

func errf(format string, args ...any) *Error { return &Error{Format: format, Args: args} }

func placedErrf(place, format string, args ...any) *Error {
	return &Error{Place: place, Format: format, Args: args}
}

func notCurlf(format string, args ...any) *Error {
	return &Error{Format: format, Args: args, kind: ErrNotCurl}
}

func notPSf(format string, args ...any) *Error {
	return &Error{Format: format, Args: args, kind: ErrNotPowerShell}
}

func (e *Error) Error() string { return e.Text("en") }

// Text renders the error in lang ("en" for English, anything else pt-BR).
func (e *Error) Text(lang string) string {
	f := e.Format
	if lang != "en" {
		if pt, ok := errorsPT[e.Format]; ok {
			f = pt
		}
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = localizeArg(a, lang)
	}
	msg := fmt.Sprintf(f, args...)
	if e.Place == "" {
		return msg
	}
	return e.Place + ": " + msg
}

// localizeArg renders an argument that has words of its own in lang.
func localizeArg(a any, lang string) any {
	switch x := a.(type) {
	case Note:
		return x.Text(lang)
	case *Error:
		return x.Text(lang)
	case error:
		en, pt := x.Error(), ""
		switch {
		case errors.Is(x, fs.ErrNotExist):
			en, pt = "file not found", "arquivo não encontrado"
		case errors.Is(x, fs.ErrPermission):
			en, pt = "permission denied", "sem permissão de leitura"
		case errors.Is(x, fs.ErrInvalid), errors.Is(x, fs.ErrClosed):
			en, pt = "cannot be read", "não pode ser lido"
		}
		if lang == "en" || pt == "" {
			if pt == "" && lang != "en" {
				return "não pode ser lido"
			}
			return en
		}
		return pt
	}
	return a
}

// Unwrap gives the kind (ErrNotCurl, ErrNotPowerShell), the *diagnose.InputError of a placed
// error, and the errors among the arguments (a file that could not be read).
func (e *Error) Unwrap() []error {
	var out []error
	if e.kind != nil {
		out = append(out, e.kind)
	}
	if e.Place != "" {
		out = append(out, &diagnose.InputError{Place: e.Place, Msg: (&Error{Format: e.Format, Args: e.Args}).Text("en")})
	}
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			if _, isNote := a.(Note); !isNote {
				out = append(out, err)
			}
		}
	}
	return out
}

// Localize renders an error of the readers in lang; other errors as they are.
func Localize(err error, lang string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Text(lang)
	}
	return err.Error()
}
