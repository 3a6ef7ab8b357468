package catalog

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxHandleLen bounds an explicit handle; generated ones are cut shorter so a
// collision suffix still fits.
const MaxHandleLen = 120

const generatedHandleLen = 100

var handlePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidHandle reports whether h is a well-formed handle: lower-case ASCII
// letters and digits in groups joined by single hyphens.
func ValidHandle(h string) bool {
	return len(h) <= MaxHandleLen && handlePattern.MatchString(h)
}

// foldSpecial spells letters that Unicode decomposition does not reduce to
// ASCII ("ß" has no decomposition to "ss").
var foldSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'ł': "l", 'Ł': "l", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// Fold lower-cases s and folds accented Latin letters to ASCII ("Crème" ->
// "creme"); other letters and digits are kept, so search still works for them.
// Search text and search queries go through Fold, which makes search
// accent-insensitive on both databases.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining marks left by decomposition: the accents
		case foldSpecial[r] != "":
			b.WriteString(foldSpecial[r])
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Slugify turns a title into a handle: folded to lower-case ASCII, every run
// of other characters becomes one hyphen ("Gentle Foaming Cleanser" ->
// "gentle-foaming-cleanser"), cut at a word boundary to at most 100
// characters. It returns "" when nothing ASCII is left (a title in another
// script); callers then use a fallback word.
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range Fold(title) {
		if r < unicode.MaxASCII && (unicode.IsLower(r) || unicode.IsDigit(r)) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	h := b.String()
	if len(h) <= generatedHandleLen {
		return h
	}
	cut := h[:generatedHandleLen]
	if h[generatedHandleLen] != '-' {
		// The cut fell inside a word: drop that word, if another remains.
		if i := strings.LastIndexByte(cut, '-'); i > 0 {
			cut = cut[:i]
		}
	}
	return strings.TrimRight(cut, "-")
}

// uniqueHandle returns base, or base-N with the smallest N >= 2 that no row of
// table uses. taken lists the handles starting with base.
func uniqueHandle(base string, taken []string) string {
	used := make(map[string]bool, len(taken))
	for _, h := range taken {
		used[h] = true
	}
	if !used[base] {
		return base
	}
	for n := 2; ; n++ {
		h := base + "-" + strconv.Itoa(n)
		if !used[h] {
			return h
		}
	}
}

// handleFor picks the handle of a new row of table: the explicit one if given
// (409 handle_taken if used), else one generated from title with a numeric
// suffix on collision. fallback names the entity when the title has no ASCII.
func (s *Service) handleFor(ctx context.Context, table, explicit, title, fallback string) (string, error) {
	if explicit != "" {
		taken, err := s.handleTaken(ctx, table, explicit, "")
		if err != nil {
			return "", err
		}
		if taken {
			return "", ErrHandleTaken.WithFields(fieldError("handle", "is already used by another "+fallback))
		}
		return explicit, nil
	}
	base := Slugify(title)
	if base == "" {
		base = fallback
	}
	var taken []string
	// Handles hold only [a-z0-9-], so base has no LIKE wildcards to escape.
	err := s.db.Conn(ctx).Table(table).Where("handle = ? OR handle LIKE ?", base, base+"-%").
		Pluck("handle", &taken).Error
	if err != nil {
		return "", err
	}
	return uniqueHandle(base, taken), nil
}

// handleTaken reports whether a row of table other than exceptID uses handle.
func (s *Service) handleTaken(ctx context.Context, table, handle, exceptID string) (bool, error) {
	var n int64
	q := s.db.Conn(ctx).Table(table).Where("handle = ?", handle)
	if exceptID != "" {
		q = q.Where("id <> ?", exceptID)
	}
	err := q.Count(&n).Error
	return n > 0, err
}
