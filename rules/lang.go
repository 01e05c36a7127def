package rules

import (
	"errors"
	"fmt"
)

// textError is a message in both languages, whole sentences each: Error gives the English
// one, and a Problem keeps the Portuguese one for the user who reads it.
type textError struct {
	pt, en string
}

func (e *textError) Error() string { return e.en }

// errL words an error in both languages, each from its own format.
func errL(pt, en string, args ...any) error {
	return &textError{pt: fmt.Sprintf(pt, args...), en: fmt.Sprintf(en, args...)}
}

// ptOf is the Portuguese sentence of err; fallback when err has only its English one (a
// library's text, which must not reach a Portuguese reader).
func ptOf(err error, fallback string) string {
	var te *textError
	if errors.As(err, &te) {
		return te.pt
	}
	return fallback
}
