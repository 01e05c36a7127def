//go:build !unix

package evidence_test

import "testing"

func makeFIFO(t *testing.T, dir string) string { return "" }
