// Package intake reads what partners actually send about a failing request (a curl command
// line, a browser's HAR export, a raw HTTP request dump) into the request part of a case.
// It parses only: it never judges the request and never touches the network.
package intake

import (
	"strings"
	"time"

	"triagem/diagnose"
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

	Source string   // where it came from, for messages: "curl", "file.har entry 3", "request.http"
	Notes  []string // what the parser noticed and ignored, e.g. "-k (insecure) ignored"
}

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
	if c.Source == "" {
		c.Source = r.Source
	}
}
