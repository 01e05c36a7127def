package directory

import (
	"context"
)

// Validate reads every entry of the snapshot and reports what a Lookup would trip over
// or silently hide: a malformed sha256, a sha256 or login repeated (only the first entry
// is ever found), an unknown environment, an empty partner or login, a key naming a user
// the users list lacks. Problems come in file order within keys, then users. The error
// is for a snapshot that cannot be read at all (syntax, unknown fields, cancellation).
func (s *Snapshot) Validate(ctx context.Context) ([]*Error, error) {
	c, err := s.contents(ctx)
	if err != nil {
		return nil, err
	}
	return c.problems(), nil
}

func (c *contents) problems() []*Error {
	var out []*Error
	add := func(at Place, pt, en string, args ...any) {
		out = append(out, errorL(at, pt, en, args...))
	}
	logins := make(map[string]int, len(c.users))
	for i, u := range c.users {
		if _, dup := logins[u.Login]; !dup {
			logins[u.Login] = i
		}
	}
	firstKey := make(map[string]int, len(c.keys))
	for i, k := range c.keys {
		at := c.keyAt[i]
		if problem := sha256Problem(k.SHA256); problem != "" {
			add(at, "keys[%[1]d]: o sha256 não é um SHA-256 hexadecimal em minúsculas: %[2]s", "keys[%[1]d]: sha256 is not a lower-case hex SHA-256: %[3]s", i, sha256ProblemPt(k.SHA256), problem)
		} else if j, dup := firstKey[k.SHA256]; dup {
			add(at, "keys[%d]: mesmo sha256 de keys[%d] (linha %d), que é a encontrada", "keys[%d]: same sha256 as keys[%d] (line %d), which is the one found", i, j, c.keyAt[j].Line)
		} else {
			firstKey[k.SHA256] = i
		}
		if k.Partner == "" {
			add(at, "keys[%d]: sem parceiro", "keys[%d]: no partner", i)
		}
		if k.Environment != EnvHomologacao && k.Environment != EnvProducao {
			add(at, "keys[%d]: o ambiente %q não é %s nem %s", "keys[%d]: environment %q is neither %s nor %s", i, k.Environment, EnvHomologacao, EnvProducao)
		}
		for _, login := range k.Users {
			if _, ok := logins[login]; !ok {
				add(at, "keys[%d]: o usuário %q não está em users", "keys[%d]: user %q is not in users", i, login)
			}
		}
	}
	for i, u := range c.users {
		at := c.userAt[i]
		switch j := logins[u.Login]; {
		case u.Login == "":
			add(at, "users[%d]: sem login", "users[%d]: no login", i)
		case j != i:
			add(at, "users[%d]: mesmo login de users[%d] (linha %d), que é o encontrado", "users[%d]: same login as users[%d] (line %d), which is the one found", i, j, c.userAt[j].Line)
		}
		if u.Partner == "" {
			add(at, "users[%d]: sem parceiro", "users[%d]: no partner", i)
		}
	}
	return out
}
