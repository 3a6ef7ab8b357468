package catalog

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// localePattern is the form translations are stored under: a two-letter
// language, optionally a region ("fr", "fr-CA").
var localePattern = regexp.MustCompile(`^[a-z]{2}(-[A-Z]{2})?$`)

// ValidLocale reports whether l is a locale code translations may use.
func ValidLocale(l string) bool { return localePattern.MatchString(l) }

// canonicalLocale turns a language tag from a client ("FR_ca", "fr-CA",
// "zh-Hant-TW") into our form ("fr-CA", "zh"): language lower-case, a two-letter
// region upper-case, other subtags dropped. ok is false for junk.
func canonicalLocale(tag string) (string, bool) {
	parts := strings.FieldsFunc(strings.TrimSpace(tag), func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 || len(parts[0]) != 2 || !isLetters(parts[0]) {
		return "", false
	}
	l := strings.ToLower(parts[0])
	if len(parts) == 2 && len(parts[1]) == 2 && isLetters(parts[1]) {
		l += "-" + strings.ToUpper(parts[1])
	}
	return l, true
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// ParseAcceptLanguage returns the locales of an Accept-Language header in order
// of preference (q-value, then position), without "*", q=0 entries and tags we
// cannot use.
func ParseAcceptLanguage(header string) []string {
	type pref struct {
		tag string
		q   float64
	}
	var prefs []pref
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(k, "q") {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		l, ok := canonicalLocale(tag)
		if !ok || q == 0 {
			continue
		}
		prefs = append(prefs, pref{l, q})
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	out := make([]string, 0, len(prefs))
	for _, p := range prefs {
		if !slices.Contains(out, p.tag) {
			out = append(out, p.tag)
		}
	}
	return out
}

// LocaleRequest is how a client asks for a language: an explicit ?locale=
// wins over the Accept-Language header.
type LocaleRequest struct {
	Param          string
	AcceptLanguage string
}

// errBadLocale is the 422 for a ?locale= that is not a language tag.
var errBadLocale = fieldError("locale", "must be a language tag such as fr or fr-CA")

// preferences returns the requested locales in order of preference.
func (r LocaleRequest) preferences() ([]string, error) {
	if r.Param != "" {
		l, ok := canonicalLocale(r.Param)
		if !ok {
			return nil, validation(errBadLocale)
		}
		return []string{l}, nil
	}
	return ParseAcceptLanguage(r.AcceptLanguage), nil
}

// matchLocale picks the best of available for prefs: an exact match, else the
// same language ("fr" for "fr-CA", or "fr-CA" for "fr"); the default language
// when nothing matches. It returns the fallback chain of translation locales
// to read, best first ("fr-CA", "fr"), without the default language.
func matchLocale(prefs, available []string) (string, []string) {
	for _, p := range prefs {
		lang, _, _ := strings.Cut(p, "-")
		if lang == DefaultLocale && p == DefaultLocale {
			return DefaultLocale, nil
		}
		pick := ""
		switch {
		case slices.Contains(available, p):
			pick = p
		case slices.Contains(available, lang):
			pick = lang
		default:
			for _, a := range available {
				if al, _, _ := strings.Cut(a, "-"); al == lang {
					pick = a
					break
				}
			}
		}
		if pick == "" {
			if lang == DefaultLocale {
				return DefaultLocale, nil // "en-GB" with no en-GB text: the default is English already
			}
			continue
		}
		chain := []string{pick}
		if pl, _, _ := strings.Cut(pick, "-"); pl != pick && slices.Contains(available, pl) {
			chain = append(chain, pl)
		}
		return pick, chain
	}
	return DefaultLocale, nil
}

// localeTTL bounds how stale another node's view of the available locales is;
// this node refreshes at once after its own translation writes.
const localeTTL = 30 * time.Second

// availableLocales returns the locales any translation exists in, cached.
func (s *Service) availableLocales(ctx context.Context) ([]string, error) {
	s.locMu.Lock()
	defer s.locMu.Unlock()
	if s.locs != nil && s.now().Sub(s.locAt) < localeTTL {
		return s.locs, nil
	}
	var locs []string
	if err := s.db.Conn(ctx).Table("translations").Distinct("locale").Order("locale").Pluck("locale", &locs).Error; err != nil {
		return nil, err
	}
	if locs == nil {
		locs = []string{}
	}
	s.locs, s.locAt = locs, s.now()
	return locs, nil
}

// resolveLocale turns a request into the locale used and its chain.
func (s *Service) resolveLocale(ctx context.Context, r LocaleRequest) (string, []string, error) {
	prefs, err := r.preferences()
	if err != nil {
		return "", nil, err
	}
	if len(prefs) == 0 {
		return DefaultLocale, nil, nil
	}
	avail, err := s.availableLocales(ctx)
	if err != nil {
		return "", nil, err
	}
	l, chain := matchLocale(prefs, avail)
	return l, chain, nil
}
