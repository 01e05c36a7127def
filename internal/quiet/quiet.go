// Package quiet holds the no-op logger that every resty client of triagem uses: a library's
// own log lines would reach the user's terminal and could quote URLs or headers.
package quiet

// Logger discards resty's log lines.
type Logger struct{}

func (Logger) Errorf(string, ...any) {}
func (Logger) Warnf(string, ...any)  {}
func (Logger) Debugf(string, ...any) {}
