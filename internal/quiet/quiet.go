// Package quiet is what triagem's HTTP clients may show of their requests: no library log
// lines (they would reach the user's terminal and could quote URLs or headers), and URLs
// without user info or query values (webhook and API secrets often live there).
package quiet

import (
	"net/url"
	"sort"
	"strings"
)

// Logger discards resty's log lines.
type Logger struct{}

func (Logger) Errorf(string, ...any) {}
func (Logger) Warnf(string, ...any)  {}
func (Logger) Debugf(string, ...any) {}

// URL shows a URL without user info or fragment, its query values masked.
func URL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	c.Fragment, c.RawFragment = "", ""
	s := c.String()
	if u.RawQuery != "" {
		s += "?" + Query(u.Query())
	}
	return s
}

// Query shows a query's names, in order, each value masked.
func Query(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, url.QueryEscape(k)+"=***")
	}
	sort.Strings(keys)
	return strings.Join(keys, "&")
}
