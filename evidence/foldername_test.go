package evidence

import (
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// The hand-written folder checks say what the patterns they replace said: a ticket id that
// makes a folder on every system, and a Windows device's name with any extension.
func TestFolderNamesAsPatterns(t *testing.T) {
	safeRE := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$`)
	deviceRE := regexp.MustCompile(`(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$`)
	check := func(t interface{ Errorf(string, ...any) }, name string) {
		if got, want := safeFolder(name), safeRE.MatchString(name); got != want {
			t.Errorf("safeFolder(%q) = %v, the pattern says %v", name, got, want)
		}
		// The device pattern's "." stops at a line break; a name with one is never a safe
		// folder, so only plainFolder's answer, which both feed, must agree there.
		if !strings.Contains(name, "\n") {
			if got, want := windowsDevice(name), deviceRE.MatchString(name); got != want {
				t.Errorf("windowsDevice(%q) = %v, the pattern says %v", name, got, want)
			}
		}
		old := safeRE.MatchString(name) && !strings.HasSuffix(name, ".") && !deviceRE.MatchString(name) &&
			!strings.EqualFold(name, ManifestFile) && !strings.EqualFold(name, SignatureFile)
		if got := plainFolder(name); got != old {
			t.Errorf("plainFolder(%q) = %v, with the patterns %v", name, got, old)
		}
	}
	for _, name := range []string{
		"", "SUP-4840", "sup_1.2+3", "-SUP", ".SUP", "SUP 1", "SUP/1", "SUPé", strings.Repeat("a", 64),
		strings.Repeat("a", 65), "CON", "con", "Con.txt", "nul.", "COM1", "com9.log", "LPT0", "COM10",
		"COMX", "CONSOLE", "AUX.a.b", "prn\n", "nul.\nx", "a.", "manifest.json", "MANIFEST.JSON",
	} {
		check(t, name)
	}
	rapid.Check(t, func(t *rapid.T) {
		alphabet := rapid.SampledFrom([]rune("aAcCoOnNpPrRuUxXlLtTmM019._+- /\né"))
		name := string(rapid.SliceOfN(alphabet, 0, 70).Draw(t, "name"))
		check(t, name)
	})
}
