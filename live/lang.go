package live

import (
	"errors"
	"fmt"
)

// Every note and error a person reads is written here in both languages, whole sentences
// each: the English text is Go's usual Error or note, the Portuguese one goes alongside.

// note is a replay note in both languages.
type note struct{ en, pt string }

func noteL(pt, en string, args ...any) note {
	return note{en: fmt.Sprintf(en, args...), pt: fmt.Sprintf(pt, args...)}
}

// textError is an error worded in both languages.
type textError struct{ en, pt string }

func (e *textError) Error() string { return e.en }

func errL(pt, en string, args ...any) error {
	return &textError{en: fmt.Sprintf(en, args...), pt: fmt.Sprintf(pt, args...)}
}

// ErrorText words an error of this package in lang ("en", or Portuguese for anything else,
// the users' language); an error of another package as it is.
func ErrorText(err error, lang string) string {
	if lang == "en" {
		return err.Error()
	}
	var te *textError
	var re *RefusedError
	var tr *TransportError
	var le *LoginError
	switch {
	case errors.As(err, &te):
		return te.pt
	case errors.As(err, &re):
		return re.Text(lang)
	case errors.As(err, &tr):
		return tr.Text(lang)
	case errors.As(err, &le):
		return le.Text(lang)
	}
	return err.Error()
}
