// Package diagnose owns the case (a partner's failing request, as support received it), the
// checks of the support procedure, the chain that runs them and the verdict they lead to.
// It reads rules and a directory; it never prints, never touches the network and knows
// nothing of the command line.
package diagnose

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/charmap"
)

// Case is a failing request as the contract's case file describes it.
type Case struct {
	Ticket      string      `yaml:"ticket" json:"ticket"`
	Partner     string      `yaml:"partner" json:"partner"`
	Environment string      `yaml:"environment" json:"environment"`
	Product     string      `yaml:"product" json:"product"`
	Error       string      `yaml:"error" json:"error"`
	Request     Request     `yaml:"request" json:"request"`
	Response    *Response   `yaml:"response" json:"response"`
	Credentials Credentials `yaml:"credentials" json:"credentials"`

	// Source names the case in messages and verdicts: a file name, "stdin" or "flags".
	Source string `yaml:"-" json:"-"`
	// Encoding is "windows-1252" when the file was not UTF-8 and was read as Windows-1252
	// (a case saved by Notepad or Excel on an older Windows).
	Encoding string `yaml:"-" json:"-"`
	// places remembers where fields came from (file:line or --flag) for error messages.
	places map[string]string
}

// Request is what the partner sent.
type Request struct {
	Method  string            `yaml:"method" json:"method"`
	URL     string            `yaml:"url" json:"url"`
	At      Timestamp         `yaml:"at" json:"at"`
	Headers map[string]string `yaml:"headers" json:"headers"`
	Body    Body              `yaml:"body" json:"body"`
}

// Response is what the partner got back, when known.
type Response struct {
	Status int  `yaml:"status" json:"status"`
	Body   Body `yaml:"body" json:"body"`
	// Recorded by `triagem replay`; optional in a case file.
	Headers map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
	Took    string            `yaml:"took,omitempty" json:"took,omitempty"`
}

// Credentials are the key, user and token involved.
type Credentials struct {
	APIKey        string    `yaml:"api_key" json:"api_key"`
	User          string    `yaml:"user" json:"user"`
	Token         string    `yaml:"token" json:"token"`
	TokenIssuedAt Timestamp `yaml:"token_issued_at" json:"token_issued_at"`
	// APIKeySHA256 stands for api_key in a case that must not carry the key (a partner's
	// ticket draft): the key's lower-case hex SHA-256, as the directory identifies keys.
	APIKeySHA256 KeyDigest `yaml:"api_key_sha256,omitempty" json:"api_key_sha256,omitzero"`
}

// KeyDigest is credentials.api_key_sha256 as written, with the place it was written at.
type KeyDigest struct {
	Hex   string
	Place string // case.yaml:12
}

// IsZero tells whether no digest was given.
func (k KeyDigest) IsZero() bool { return k.Hex == "" }

func (k *KeyDigest) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a SHA-256 in hex, got a %s", n.Line, kindName(n))
	}
	if n.Tag != "!!null" {
		k.Hex = n.Value
	}
	k.Place = "line " + strconv.Itoa(n.Line)
	return nil
}

func (k *KeyDigest) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if err := json.Unmarshal(b, &k.Hex); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeOf("")}
	}
	return nil
}

func (k KeyDigest) MarshalYAML() (any, error)    { return k.Hex, nil }
func (k KeyDigest) MarshalJSON() ([]byte, error) { return json.Marshal(k.Hex) }

// validKeyDigest: 64 lower-case hex characters, the directory's form.
func validKeyDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Timestamp keeps a time as written; Resolve reads it in the rules' time zone, since a time
// without an offset is local time there.
type Timestamp struct {
	Raw   string
	Place string // case.yaml:9 or --at

	t  time.Time
	ok bool
}

// Time returns the resolved instant and whether there is one.
func (ts Timestamp) Time() (time.Time, bool) { return ts.t, ts.ok }

// IsZero tells whether no timestamp was given.
func (ts Timestamp) IsZero() bool { return strings.TrimSpace(ts.Raw) == "" }

func (ts *Timestamp) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a timestamp, got a %s", n.Line, kindName(n))
	}
	if n.Tag == "!!null" {
		return nil
	}
	ts.Raw = n.Value
	ts.Place = "line " + strconv.Itoa(n.Line)
	return nil
}

func (ts *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: reflect.TypeOf("")}
	}
	ts.Raw = s
	return nil
}

func jsonKind(b []byte) string {
	switch c := bytes.TrimSpace(b); {
	case len(c) == 0:
		return "nothing"
	case c[0] == '{':
		return "object"
	case c[0] == '[':
		return "array"
	case c[0] == 't' || c[0] == 'f':
		return "bool"
	}
	return "number"
}

func (ts Timestamp) MarshalYAML() (any, error) {
	if ts.ok {
		return ts.t.Format(time.RFC3339), nil
	}
	return ts.Raw, nil
}

func (ts Timestamp) MarshalJSON() ([]byte, error) {
	v, _ := ts.MarshalYAML()
	return json.Marshal(v)
}

// timeLayouts are the layouts the contract accepts beyond RFC 3339, and the shapes support
// pastes every day (single-digit days and hours, no seconds).
var timeLayouts = []string{
	"2006-01-02 15:04:05", "2006-01-02 15:04",
	"02/01/2006 15:04:05", "02/01/2006 15:04",
	"2/1/2006 15:04:05", "2/1/2006 15:04",
	"2006-01-02T15:04:05", "2006-01-02T15:04", // RFC 3339 without an offset: local time too
}

// TimeNote is what the reading of a local time had to decide: a wall-clock time that does
// not exist (a daylight-saving gap) or that happened twice (the hour repeated when it ended).
type TimeNote int

const (
	TimeExact   TimeNote = iota
	TimeInGap            // read as the time zone database does: moved forward by the gap
	TimeRepeats          // the earlier of the two instants is taken
)

var (
	// "18/11/2026 10h15", "10h" (Portuguese hours)
	hoursRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(\d{1,2})h(\d{2})?\b`) })
	// "18/11/2026 às 10:15", "18/11/2026, 10:15", "18/11/2026 - 10:15"
	joinRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\S+?),?\s+(?:(?:às|as|at|a)\s+|-\s+)?(\d{1,2}:\d{2}(?::\d{2})?)\s*(?:h|hs|hrs)?$`)
	})
)

// ParseTime reads a timestamp in any accepted layout; without an offset it is local time
// in loc.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	t, _, err := ParseTimeNote(s, loc)
	return t, err
}

// ParseTimeNote reads a timestamp as ParseTime does and says what reading a local time had to
// decide. Beyond the contract's layouts it reads what people paste: "18/11/2026 10h15",
// "18/11/2026 às 10:15", "18/11/2026, 10:15:32", an HTTP Date header, a lower-case t or z.
func ParseTimeNote(s string, loc *time.Location) (time.Time, TimeNote, error) {
	s = strings.Join(strings.Fields(s), " ")
	if l := localLayoutOf(s); l != "" {
		// The two shapes most cases write, read at once: every layout tried before them
		// below fails on them, each with an error to build, and the rewrites leave them as
		// they are. What does not read (a 13th month) goes the whole way, as before.
		if wall, err := time.Parse(l, s); err == nil {
			t, note := inZone(wall, loc)
			return t, note, nil
		}
	}
	return parseTimeNote(s, loc)
}

// localLayoutOf is the layout of s when s is exactly "dddd-dd-dd dd:dd" or "dd/dd/dddd dd:dd"
// (d a digit), else "".
func localLayoutOf(s string) string {
	if len(s) != 16 || s[10] != ' ' || s[13] != ':' {
		return ""
	}
	digits := func(idx ...int) bool {
		for _, i := range idx {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	switch {
	case s[4] == '-' && s[7] == '-' && digits(0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15):
		return "2006-01-02 15:04"
	case s[2] == '/' && s[5] == '/' && digits(0, 1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15):
		return "02/01/2006 15:04"
	}
	return ""
}

// parseTimeNote is ParseTimeNote for any layout, s with its spaces already made single.
func parseTimeNote(s string, loc *time.Location) (time.Time, TimeNote, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, TimeExact, nil // the common form first: each failed layout below costs an error
	}
	// An HTTP Date header; each of its layouts opens with a weekday's name, so a text that
	// does not open with a letter skips the four errors they would cost.
	if s != "" && 'a' <= s[0]|0x20 && s[0]|0x20 <= 'z' {
		for _, l := range []string{time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC} {
			if t, err := time.Parse(l, s); err == nil {
				if l == time.ANSIC {
					t = t.UTC() // HTTP dates are GMT
				}
				return t, TimeExact, nil
			}
		}
	}
	if len(s) > 10 && s[4] == '-' && (s[10] == 't' || s[10] == 'T') {
		s = s[:10] + "T" + strings.ToUpper(s[11:]) // 2026-11-18t13:15:00z
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, TimeExact, nil
		}
	}
	local := hoursRE().ReplaceAllStringFunc(s, func(m string) string {
		sub := hoursRE().FindStringSubmatch(m)
		if sub[2] == "" {
			return sub[1] + ":00"
		}
		return sub[1] + ":" + sub[2]
	})
	if m := joinRE().FindStringSubmatch(local); m != nil {
		local = m[1] + " " + m[2]
	}
	for _, l := range timeLayouts {
		wall, err := time.Parse(l, local) // the fields, as written
		if err != nil {
			continue
		}
		t, note := inZone(wall, loc)
		return t, note, nil
	}
	// The value is not repeated: a field typed wrong may hold anything, a document or a password.
	return time.Time{}, TimeExact, &TimeError{Chars: len([]rune(s))}
}

// TimeError is a timestamp that no accepted layout reads. It never holds the value.
type TimeError struct{ Chars int }

func (e *TimeError) Error() string { return e.text("en") }

func (e *TimeError) text(l Lang) string {
	return l.T("não é uma data e hora (%d caracteres): use RFC 3339 (2026-11-20T23:30:00-03:00), AAAA-MM-DD HH:MM[:SS] ou DD/MM/AAAA HH:MM[:SS]",
		"not a time (%d characters): use RFC 3339 (2026-11-20T23:30:00-03:00), YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM[:SS]", e.Chars)
}

// TimeErrorText words a time error in l (any other error as it is).
func TimeErrorText(err error, l Lang) string {
	var te *TimeError
	if errors.As(err, &te) {
		return te.text(l)
	}
	return err.Error()
}

// inZone places wall-clock fields in loc. Go leaves the instant of a time inside a DST gap
// unspecified, and of a repeated time picks either; this resolves both as the time zone
// database's users do (RFC 5545, java.time): a time in a gap moves forward by the gap's
// length, a repeated time takes the earlier instant.
func inZone(wall time.Time, loc *time.Location) (time.Time, TimeNote) {
	var candidates []time.Time
	for _, probe := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, off := wall.Add(probe).In(loc).Zone()
		inst := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(inst, wall) && !slices.ContainsFunc(candidates, inst.Equal) {
			candidates = append(candidates, inst)
		}
	}
	switch len(candidates) {
	case 1:
		return candidates[0], TimeExact
	case 0:
		_, before := wall.Add(-36 * time.Hour).In(loc).Zone()
		return wall.Add(-time.Duration(before) * time.Second).In(loc), TimeInGap
	}
	slices.SortFunc(candidates, func(a, b time.Time) int { return a.Compare(b) })
	return candidates[0], TimeRepeats
}

func sameWall(t, wall time.Time) bool {
	y, mo, d := t.Date()
	wy, wmo, wd := wall.Date()
	return y == wy && mo == wmo && d == wd && t.Hour() == wall.Hour() && t.Minute() == wall.Minute() && t.Second() == wall.Second()
}

// Body is a payload as the case holds it: a YAML/JSON value, or a string holding the raw
// payload (which may not even be JSON: that is for the syntax check to judge).
type Body struct {
	Raw     []byte // the payload's text: JSON when it came as a value
	Present bool
}

func (b *Body) UnmarshalYAML(n *yaml.Node) error {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return nil
	case n.Kind == yaml.ScalarNode && n.Tag == "!!str":
		b.Raw, b.Present = []byte(n.Value), strings.TrimSpace(n.Value) != ""
		return nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	// The body as the case wrote it: keys in their order and numbers as written (1500.00 stays
	// 1500.00), which a round trip through a Go map would lose. Anchors, aliases and merge keys
	// take the decoded value's way.
	if raw, ok := nodeJSON(nil, n); ok && json.Valid(raw) {
		b.Raw, b.Present = raw, true
		return nil
	}
	raw, err := json.Marshal(jsonable(v))
	if err != nil {
		return fmt.Errorf("line %d: the body is not a JSON value: %v", n.Line, err)
	}
	b.Raw, b.Present = raw, true
	return nil
}

// jsonNumberRE is a number as JSON writes it.
var jsonNumberRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$`)
})

// nodeJSON appends a YAML node as compact JSON, in the node's order. ok is false for what it
// does not write itself (anchors, aliases, merge keys, tags of its own).
func nodeJSON(b []byte, n *yaml.Node) ([]byte, bool) {
	if n.Anchor != "" {
		return nil, false
	}
	switch n.Kind {
	case yaml.MappingNode:
		b = append(b, '{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || k.Anchor != "" {
				return nil, false
			}
			if i > 0 {
				b = append(b, ',')
			}
			kb, _ := json.Marshal(k.Value)
			b = append(append(b, kb...), ':')
			var ok bool
			if b, ok = nodeJSON(b, n.Content[i+1]); !ok {
				return nil, false
			}
		}
		return append(b, '}'), true
	case yaml.SequenceNode:
		b = append(b, '[')
		for i, e := range n.Content {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = nodeJSON(b, e); !ok {
				return nil, false
			}
		}
		return append(b, ']'), true
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			sb, _ := json.Marshal(n.Value)
			return append(b, sb...), true
		case "!!int", "!!float":
			if jsonNumberRE().MatchString(n.Value) {
				return append(b, n.Value...), true
			}
		case "!!null":
			return append(b, "null"...), true
		}
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, false
		}
		vb, err := json.Marshal(jsonable(v))
		if err != nil {
			return nil, false
		}
		return append(b, vb...), true
	}
	return nil, false
}

func (b *Body) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		b.Raw, b.Present = []byte(s), strings.TrimSpace(s) != ""
		return nil
	}
	b.Raw, b.Present = bytes.Clone(data), true
	return nil
}

func (b Body) MarshalYAML() (any, error) {
	if !b.Present {
		return nil, nil
	}
	return string(b.Raw), nil
}

func (b Body) MarshalJSON() ([]byte, error) {
	if !b.Present {
		return []byte("null"), nil
	}
	if json.Valid(b.Raw) {
		return b.Raw, nil
	}
	return json.Marshal(string(b.Raw))
}

// jsonable turns YAML's map[any]any (non-string keys) into something json can hold, so that
// `1: x` becomes {"1": "x"} rather than an error.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	}
	return v
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// InputError is a problem with what the user gave: it names the place. The command maps it
// to exit code 2.
type InputError struct {
	Place string // file:line, file:line:col, --flag, or the file alone
	Msg   string // in English
	Pt    string // the same sentence in Portuguese; "" when only the English exists
}

// Text is the error in l: the whole sentence in that language when it has one.
func (e *InputError) Text(l Lang) string {
	msg := e.Msg
	if l != "en" && e.Pt != "" {
		msg = e.Pt
	}
	if e.Place == "" {
		return msg
	}
	return e.Place + ": " + msg
}

// ErrorText words an error in l: an input error in the user's language, anything else as it is.
func ErrorText(err error, l Lang) string {
	if ie, ok := err.(*InputError); ok {
		return ie.Text(l)
	}
	return err.Error()
}

func (e *InputError) Error() string {
	if e.Place == "" {
		return e.Msg
	}
	return e.Place + ": " + e.Msg
}

func inputErr(place, format string, args ...any) error {
	return &InputError{Place: place, Msg: fmt.Sprintf(format, args...)}
}

// inputErrL is an input error worded in both languages, whole sentences each.
func inputErrL(place, pt, en string, args ...any) error {
	return &InputError{Place: place, Msg: fmt.Sprintf(en, args...), Pt: fmt.Sprintf(pt, args...)}
}

// ParseCase reads a case file, YAML or JSON, told apart by content. name is used in messages.
// Unknown fields are errors that name the line.
func ParseCase(name string, data []byte) (*Case, error) {
	data = trimBOM(data)
	encoding := ""
	if !utf8.Valid(data) {
		// Not UTF-8: a file saved in Windows-1252 (accents as single bytes), which is what
		// Windows editors wrote by default for years. Read it as such rather than refuse it.
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, inputErr(name+":"+strconv.Itoa(1+bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))),
				"not UTF-8 text, nor Windows-1252: save the file as UTF-8")
		}
		data, encoding = dec, "windows-1252"
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, inputErrL(name, "arquivo de caso vazio", "empty case file")
	}
	if !isText(trimmed) {
		return nil, inputErrL(name, "não é um arquivo de caso: conteúdo binário, nem YAML nem JSON", "not a case file: binary content, neither YAML nor JSON")
	}
	// Decode the untrimmed text so that lines and columns are the file's own.
	var c Case
	var err error
	if trimmed[0] == '{' {
		err = decodeJSONCase(name, data, &c)
	} else {
		err = decodeYAMLCase(name, data, &c)
	}
	if err != nil {
		return nil, err
	}
	c.Source = name
	c.Encoding = encoding
	c.setPlaces(name, data)
	if d := c.Credentials.APIKeySHA256; d.Hex != "" && !validKeyDigest(d.Hex) {
		return nil, inputErrL(d.Place, "credentials.api_key_sha256: informe o SHA-256 da API Key em hexadecimal minúsculo (64 caracteres 0-9 a-f)", "credentials.api_key_sha256: want the API key's SHA-256 in lower-case hex (64 characters 0-9 a-f)")
	}
	return &c, nil
}

// firstInvalidUTF8 is the offset of the first byte that is not valid UTF-8.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

// isText rejects binary junk early, so that its error does not read like a YAML problem.
func isText(b []byte) bool {
	n := len(b)
	if n > 4096 {
		n = 4096
	}
	for _, c := range b[:n] {
		if c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			return false
		}
	}
	return true
}

var (
	yamlLineRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`) })
	yamlUnknownRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^field (\S+) not found in type diagnose\.(\w+)$`) })
	yamlCannotRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^cannot unmarshal !!(\w+) (?:.*)into (?:\S+)$`) })
	sectionOfTypes = map[string]string{"Case": "", "Request": "request", "Response": "response", "Credentials": "credentials"}
)

func decodeYAMLCase(name string, data []byte, c *Case) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(c)
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) {
		return inputErrL(name, "arquivo de caso vazio", "empty case file")
	}
	var te *yaml.TypeError
	msgs := []string{err.Error()}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	m := yamlLineRE().FindStringSubmatch(msgs[0])
	if m == nil {
		return inputErrL(name, "não é um arquivo de caso: nem um mapeamento YAML nem um objeto JSON (%s)", "not a case file: neither a YAML mapping nor a JSON object (%s)", strings.TrimPrefix(msgs[0], "yaml: "))
	}
	place, msg := name+":"+m[1], m[2]
	if u := yamlUnknownRE().FindStringSubmatch(msg); u != nil {
		field := u[1]
		if s := sectionOfTypes[u[2]]; s != "" {
			field = s + "." + field
		}
		return inputErrL(place, "campo desconhecido %q", "unknown field %q", field)
	}
	if u := yamlCannotRE().FindStringSubmatch(msg); u != nil {
		if m[1] == "1" && u[1] != "map" {
			return inputErrL(name, "não é um arquivo de caso: nem um mapeamento YAML nem um objeto JSON", "not a case file: neither a YAML mapping nor a JSON object")
		}
		return inputErrL(place, "tipo errado: veio um %s", "wrong type: got a %s", strings.TrimPrefix(u[1], "!!"))
	}
	// The YAML library's own words stay in the English message; the Portuguese one says what
	// to look at instead of repeating a text in another language.
	return &InputError{Place: place, Msg: msg,
		Pt: "o YAML não pôde ser lido a partir desta linha: confira a indentação, os dois-pontos depois de cada campo e as aspas"}
}

func decodeJSONCase(name string, data []byte, c *Case) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(c)
	if err == nil {
		if _, err := dec.Token(); err != io.EOF {
			line, col := lineCol(data, int(dec.InputOffset()))
			return inputErrL(fmt.Sprintf("%s:%d:%d", name, line, col), "conteúdo inesperado depois do objeto JSON do caso", "unexpected content after the case's JSON object")
		}
		return nil
	}
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, int(se.Offset)-1) // Offset counts the offending byte
		// encoding/json's words stay in the English text; the Portuguese one says what to look at.
		return &InputError{Place: fmt.Sprintf("%s:%d:%d", name, line, col),
			Msg: "invalid JSON: " + strings.TrimPrefix(se.Error(), "json: "),
			Pt:  "JSON inválido a partir daqui: confira vírgulas, aspas, chaves e colchetes"}
	case errors.As(err, &ue):
		off := int(ue.Offset)
		if off == 0 { // a custom unmarshaler's type error carries no offset: find the key
			off = keyOffset(data, strings.Split(ue.Field, "."))
		}
		line, col := lineCol(data, off)
		return &InputError{Place: fmt.Sprintf("%s:%d:%d", name, line, col),
			Msg: fmt.Sprintf("field %q: want %s, got JSON %s", ue.Field, ue.Type, ue.Value),
			Pt:  fmt.Sprintf("campo %q: esperado %s, veio %s em JSON", ue.Field, typePT(ue.Type.String()), typePT(ue.Value))}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := lineCol(data, len(data))
		return inputErrL(fmt.Sprintf("%s:%d:%d", name, line, col), "JSON inválido: o texto termina antes do fim do objeto", "invalid JSON: unexpected end of input")
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		// encoding/json does not say where; YAML reads JSON too and knows the line.
		// YAML has no \/ escape, which PHP's json_encode writes in every URL.
		var probe Case
		if yerr := decodeYAMLCase(name, bytes.ReplaceAll(data, []byte(`\/`), []byte(`/`)), &probe); yerr != nil {
			var ie *InputError
			if errors.As(yerr, &ie) && strings.HasPrefix(ie.Msg, "unknown field") {
				return yerr
			}
		}
		return inputErrL(name, "campo desconhecido %s", "unknown field %s", field)
	}
	return inputErr(name, "%v", err)
}

func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}

// setPlaces records where the timestamps and the key digest were, as name:line, for their
// error messages.
func (c *Case) setPlaces(name string, data []byte) {
	switch d := &c.Credentials.APIKeySHA256; {
	case strings.HasPrefix(d.Place, "line "):
		d.Place = name + ":" + strings.TrimPrefix(d.Place, "line ")
	case d.Hex != "":
		l, _ := lineCol(data, keyOffset(data, []string{"credentials", "api_key_sha256"}))
		d.Place = fmt.Sprintf("%s:%d", name, l)
	}
	for _, f := range []struct {
		ts   *Timestamp
		path []string
	}{{&c.Request.At, []string{"request", "at"}}, {&c.Credentials.TokenIssuedAt, []string{"credentials", "token_issued_at"}}} {
		switch line, ok := strings.CutPrefix(f.ts.Place, "line "); {
		case ok: // YAML said where
			f.ts.Place = name + ":" + line
		case f.ts.Raw != "": // JSON does not: find the key
			l, _ := lineCol(data, keyOffset(data, f.path))
			f.ts.Place = fmt.Sprintf("%s:%d", name, l)
		default:
			f.ts.Place = name
		}
	}
}

// keyOffset finds where a dotted field path's last key is written, looking for each key in
// turn after the previous one: good enough to point an error at the right line.
func keyOffset(data []byte, path []string) int {
	off := 0
	for _, k := range path {
		i := quotedKeyIndex(data[off:], k)
		if i < 0 {
			return off
		}
		off += i
	}
	return off
}

// quotedKeyIndex finds `"k"` followed by blanks and a colon (a JSON key), without compiling a
// regular expression per key and per case.
func quotedKeyIndex(data []byte, k string) int {
	quoted := `"` + k + `"`
	for from := 0; ; {
		i := bytes.Index(data[from:], []byte(quoted))
		if i < 0 {
			return -1
		}
		j := from + i + len(quoted)
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r') {
			j++
		}
		if j < len(data) && data[j] == ':' {
			return from + i
		}
		from += i + 1
	}
}

// typePT names a Go or JSON type for a Portuguese reader.
func typePT(t string) string {
	switch t {
	case "string":
		return "um texto"
	case "number", "int", "int64", "float64":
		return "um número"
	case "bool":
		return "verdadeiro ou falso"
	case "object":
		return "um objeto"
	case "array":
		return "uma lista"
	case "null":
		return "null"
	}
	return t
}
