package bot

import (
	"regexp"
	"strings"
	"unicode"
)

// Intent names what the bot understood a message to ask.
type Intent string

// The intents (BotReply.Intent carries them).
const (
	IntentOrderStatus Intent = "order_status"
	IntentFAQ         Intent = "faq"
	IntentAdvice      Intent = "advice"
	IntentHandoff     Intent = "handoff"
	IntentGreeting    Intent = "greeting"
	IntentThanks      Intent = "thanks"
	IntentUnknown     Intent = "unknown"
)

// Classification is what one message says, before any conversation state.
type Classification struct {
	Intent Intent
	// OrderNumber is the order number the text names ("SK-1042"), if any,
	// whatever the intent.
	OrderNumber string
	// Email is an e-mail address in the text, if any.
	Email string
	// Angry is set when the handoff comes from the tone rather than a request.
	Angry bool
	// FAQ is the best FAQ match (Intent is IntentFAQ only when it is OK).
	FAQ faqMatch
}

// Classify reads one message. The order of the rules is the precedence: a
// request for a person or anger wins over everything (a person is what the
// customer wants then), an order question over the rest (it names their own
// data), greetings and thanks only when that is all the message says, strong
// advice words over the FAQ, the FAQ over a weak hint of advice ("which
// cleanser is vegan" is better answered by the vegan entry when it exists).
func Classify(text string, faqs *faqIndex) Classification {
	c := Classification{OrderNumber: orderNumber(text), Email: emailIn(text)}
	m := newMsg(text)
	switch {
	case m.wantsPerson():
		c.Intent = IntentHandoff
	case m.angry(text):
		c.Intent, c.Angry = IntentHandoff, true
	case m.orderStatus(c.OrderNumber != ""):
		c.Intent = IntentOrderStatus
	case m.only(greetingWords):
		c.Intent = IntentGreeting
	case m.only(thanksWords):
		c.Intent = IntentThanks
	case m.strongAdvice():
		c.Intent = IntentAdvice
	default:
		c.FAQ = faqs.match(text)
		switch {
		case c.FAQ.OK:
			c.Intent = IntentFAQ
		case m.weakAdvice():
			c.Intent = IntentAdvice
		default:
			c.Intent = IntentUnknown
		}
	}
	return c
}

// msg is a message as the rules read it: folded words, and the same words
// joined with single spaces and padded, so " phrase " finds whole words.
type msg struct {
	words  []string
	joined string
	set    map[string]bool
}

func newMsg(text string) msg {
	ws := words(fold(text))
	return msg{words: ws, joined: " " + strings.Join(ws, " ") + " ", set: setOf(ws...)}
}

func (m msg) any(ws map[string]bool) bool {
	for _, w := range m.words {
		if ws[w] {
			return true
		}
	}
	return false
}

func (m msg) phrase(ps ...string) bool {
	for _, p := range ps {
		if strings.Contains(m.joined, " "+p+" ") {
			return true
		}
	}
	return false
}

// only reports whether the message has at least one word of ws and nothing
// but words of ws and filler ("hi there", "merci beaucoup !").
func (m msg) only(ws map[string]bool) bool {
	hit := false
	for _, w := range m.words {
		switch {
		case ws[w]:
			hit = true
		case fillerWords[w]:
		default:
			return false
		}
	}
	return hit
}

// wantsPerson is an explicit request for a human. "agent" alone is not one
// when it is an ingredient's role ("cleansing agent").
func (m msg) wantsPerson() bool {
	for i, w := range m.words {
		if w == "agent" || w == "agents" {
			if i > 0 && notPersonAgent[m.words[i-1]] {
				continue
			}
			return true
		}
	}
	return m.any(personWords) || m.phrase(personPhrases...)
}

// angry is insults and exasperation, or shouting: mostly capitals with
// several exclamation marks.
func (m msg) angry(raw string) bool {
	if m.any(angryWords) || m.phrase(angryPhrases...) {
		return true
	}
	if !strings.Contains(raw, "!!") {
		return false
	}
	upper, letters := 0, 0
	for _, r := range raw {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 6 && upper*10 >= letters*7
}

// orderStatus is a question about where an order is. Changing an order
// (cancel, return, refund) is not one: that goes to the FAQ or a person.
func (m msg) orderStatus(hasNumber bool) bool {
	if m.any(changeWords) || m.phrase(changePhrases...) {
		return false
	}
	if hasNumber || m.phrase(statusPhrases...) {
		return true
	}
	if !m.any(orderWords) {
		return false
	}
	return m.any(statusWords) || m.phrase(latePhrases...) || m.any(possessiveWords)
}

// strongAdvice is a plain request for a recommendation or the quiz.
func (m msg) strongAdvice() bool {
	return m.any(adviceWords) || m.phrase(advicePhrases...)
}

// weakAdvice is "which cream", "le meilleur sérum": a choice among products.
func (m msg) weakAdvice() bool {
	return m.any(productWords) && m.any(choiceWords)
}

var (
	orderNumberRE = regexp.MustCompile(`(?i)(?:\bsk[-\s]?|#)(\d{1,9})\b`)
	emailRE       = regexp.MustCompile(`[^\s@<>(),;:"']+@[^\s@<>(),;:"']+\.[A-Za-z]{2,}`)
)

// orderNumber finds "SK-1042", "sk 1042", "SK1042" or "#1042" and returns
// it in the shop's form, "SK-1042".
func orderNumber(text string) string {
	if m := orderNumberRE.FindStringSubmatch(text); m != nil {
		return shopNumber(m[1])
	}
	return ""
}

// shopNumber writes digits as an order number: "SK-" and no leading zeros.
func shopNumber(digits string) string {
	if d := strings.TrimLeft(digits, "0"); d != "" {
		return "SK-" + d
	}
	return "SK-0"
}

// bareNumber finds a number given alone in answer to "which order?"
// ("1042", "the 1042 one").
var bareNumberRE = regexp.MustCompile(`\b(\d{3,9})\b`)

func bareNumber(text string) string {
	if n := orderNumber(text); n != "" {
		return n
	}
	if m := bareNumberRE.FindStringSubmatch(text); m != nil {
		return shopNumber(m[1])
	}
	return ""
}

func emailIn(text string) string {
	return strings.TrimRight(emailRE.FindString(text), ".")
}
