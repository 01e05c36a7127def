// Package directory answers who owns which API key: the key and user directory that the
// key and user checks of the chain read. It owns the snapshot format of the contract (YAML
// or JSON, keys identified only by the SHA-256 of their text) and its loaders. It never
// sees a raw API key and never prints.
package directory

import "context"

// Key is one API key of the directory, identified by the lower-case hex SHA-256 of its text.
type Key struct {
	SHA256      string   `json:"sha256" yaml:"sha256"`
	Partner     string   `json:"partner" yaml:"partner"`
	Environment string   `json:"environment" yaml:"environment"`
	Active      bool     `json:"active" yaml:"active"`
	Users       []string `json:"users" yaml:"users"`
}

// User is one login of the directory.
type User struct {
	Login   string `json:"login" yaml:"login"`
	Partner string `json:"partner" yaml:"partner"`
	Active  bool   `json:"active" yaml:"active"`
}

// Query names what one diagnosis needs to know. Empty fields are not looked up.
type Query struct {
	KeySHA256 string // lower-case hex SHA-256 of the API key
	Login     string // the user's login, compared exactly
	Partner   string // a partner name: every key of that partner is returned
}

// Result is what the directory knows about a Query.
type Result struct {
	Key         *Key  // nil when KeySHA256 is unknown (or was not asked)
	User        *User // nil when Login is unknown (or was not asked)
	PartnerKeys []Key // every key whose partner equals Query.Partner, in file order
}

// Directory is what the chain asks. Implementations: the snapshot file (this package) and,
// later, the directory service over HTTP.
type Directory interface {
	Lookup(ctx context.Context, q Query) (Result, error)
	// Source names the directory in messages (a file name or a URL).
	Source() string
}
