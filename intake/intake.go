// Package intake reads what partners actually send about a failing request (a curl command
// line, a browser's HAR export, a raw HTTP request dump) into the request part of a case.
// It parses only: it never judges the request and never touches the network.
package intake

import (
	"strings"
	"time"

	"github.com/crefazon/triagem/diagnose"
)

// Request is what a paste says about the failing request.
type Request struct {
	Method  string
	URL     string
	Headers map[string]string // canonical names (http.CanonicalHeaderKey); repeated headers joined with ", "
	Body    []byte
	HasBody bool

	At    time.Time // when it was sent (HAR's startedDateTime); zero when unknown
	HasAt bool

	Status       int    // the response's status (HAR); 0 when unknown or when no answer came (HAR status 0)
	ResponseBody []byte // the response's text, decoded (HAR base64 content)
	HasResponse  bool

	// Error is why no answer came, as the browser said it (HAR response._error, e.g.
	// net::ERR_CONNECTION_REFUSED); "" when unknown. It becomes the case's error evidence.
	Error string

	// User and APIKey come from a login call in the same paste (a HAR holding the login
	// before the failing request); "" when none was found.
	User, APIKey string

	Source string // where it came from, for messages: "curl", "file.har entry 3", "request.http"
	Notes  []Note // what the parser noticed, assumed, skipped or ignored
}

// NoteTexts renders the request's notes in lang ("en" or pt-BR).
func (r *Request) NoteTexts(lang string) []string { return NoteTexts(r.Notes, lang) }

// Apply makes r the case's request (and response, when r has one). The case's other fields,
// such as the error, credentials and ticket, stay as they are; flags may still override all.
func (r *Request) Apply(c *diagnose.Case) {
	c.Request.Method = r.Method
	c.Request.URL = r.URL
	if len(r.Headers) > 0 {
		c.Request.Headers = make(map[string]string, len(r.Headers))
		for k, v := range r.Headers {
			c.Request.Headers[k] = v
		}
	}
	c.Request.Body = diagnose.Body{Raw: r.Body, Present: r.HasBody && strings.TrimSpace(string(r.Body)) != ""}
	if r.HasAt {
		c.Request.At = diagnose.Timestamp{Raw: r.At.Format(time.RFC3339Nano), Place: r.Source}
	}
	if r.HasResponse {
		c.Response = &diagnose.Response{Status: r.Status, Body: diagnose.Body{Raw: r.ResponseBody, Present: len(r.ResponseBody) > 0}}
	}
	if r.Error != "" && strings.TrimSpace(c.Error) == "" {
		c.Error = r.Error
	}
	if r.User != "" && strings.TrimSpace(c.Credentials.User) == "" {
		c.Credentials.User = r.User
	}
	if r.APIKey != "" && strings.TrimSpace(c.Credentials.APIKey) == "" {
		c.Credentials.APIKey = r.APIKey
	}
	if c.Source == "" {
		c.Source = r.Source
	}
}
