package bot

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxTokens bounds the work one message can cause: a message is at most
// 4 000 characters, and nothing past the first few hundred words changes
// what the bot understands.
const maxTokens = 400

// fold lower-cases s and strips its accents ("Où" -> "ou", "Crème" ->
// "creme"), so French typed without accents matches French with them.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// words splits folded text into words of letters and digits. An apostrophe
// ends a word ("l'avoine" -> "l", "avoine"; "don't" -> "don", "t"), as do
// hyphens ("SK-1042" -> "sk", "1042").
func words(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
			if len(out) == maxTokens {
				return out
			}
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// Tokens is what BM25 indexes and queries with: folded words without the
// stopwords of either language, lightly stemmed. Both languages' lists apply
// whatever the locale, because customers mix them ("hello, où est ma
// commande").
func Tokens(s string) []string {
	ws := words(fold(s))
	out := ws[:0]
	for _, w := range ws {
		if stopwords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// stem strips the common inflections of English and French so that
// "shipping", "shipped" and "ships" meet at "ship", "delivery", "deliver"
// and "delivered" at "deliv", and "livraison", "livrer", "livrez" and
// "livré" at "livr". It is deliberately light (at most two suffixes, never
// below three letters): a wrong merge costs more than a missed one, since
// the FAQ threshold decides answers.
func stem(w string) string {
	for range 2 {
		s := stripSuffix(w)
		if s == w {
			break
		}
		w = s
	}
	return w
}

func stripSuffix(w string) string {
	if len([]rune(w)) <= 3 {
		return w
	}
	// French plurals in -aux are singular in -al: animaux, animal.
	if strings.HasSuffix(w, "aux") && len(w) > 5 {
		return strings.TrimSuffix(w, "aux") + "al"
	}
	for _, suf := range suffixes {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			w = strings.TrimSuffix(w, suf)
			break
		}
	}
	// shipp -> ship, stopp -> stop
	if n := len(w); n >= 4 && w[n-1] == w[n-2] && strings.IndexByte("bdgmnprt", w[n-1]) >= 0 {
		w = w[:n-1]
	}
	return w
}

// suffixes are tried longest first; the first that leaves three letters wins.
var suffixes = []string{
	"issements", "issement", "ements", "ement", "ations", "ation", "aisons", "aison",
	"ments", "ment", "ings", "ing", "ies", "ers", "er", "ez", "ees", "ee", "es", "ed", "ly", "s", "x", "e", "y",
}

// stopwords holds the small English and French words that carry no topic.
// Words the classifier looks for ("where", "ou", "my", "ma") are stopwords
// for BM25 only: the classifier reads words, not Tokens.
var stopwords = setOf(
	// English
	"a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with", "by",
	"from", "about", "as", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did",
	"i", "me", "my", "you", "your", "we", "our", "us", "it", "its", "this", "that", "these",
	"those", "what", "which", "who", "whom", "when", "where", "why", "how", "can", "could",
	"would", "should", "will", "shall", "may", "might", "must", "have", "has", "had", "there",
	"here", "any", "some", "much", "many", "please", "so", "than", "too", "very", "just",
	"not", "no", "yes", "t", "s", "d", "ll", "m", "re", "ve", "get", "got", "there", "them",
	"they", "he", "she", "his", "her", "im", "dont",
	// French
	"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "ou", "mais", "donc",
	"que", "qu", "qui", "quoi", "quel", "quelle", "quels", "quelles", "est", "sont", "suis",
	"es", "etre", "ai", "as", "a", "avez", "avons", "ont", "je", "j", "tu", "il", "elle", "nous",
	"vous", "ils", "elles", "on", "me", "m", "te", "se", "s", "ce", "c", "cet", "cette", "ces",
	"mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos",
	"leur", "leurs", "au", "aux", "en", "dans", "par", "pour", "sur", "avec", "sans", "pas",
	"ne", "n", "y", "comment", "combien", "quand", "pourquoi", "est-ce", "si", "plus", "tres",
	"peux", "peut", "puis", "pouvez", "svp", "stp", "merci", "oui", "non", "fait", "faire",
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
