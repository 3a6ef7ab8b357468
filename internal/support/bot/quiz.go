package bot

import (
	"context"
	"errors"
	"slices"
	"strings"

	"storekeep/internal/catalog"
	"storekeep/internal/customers"
	"storekeep/internal/support"
)

// maxSuggestions is how many products the quiz answers with.
const maxSuggestions = 3

// Preference values, as saved in the skin profile.
const (
	prefVegan         = "vegan"
	prefFragranceFree = "fragrance_free"
)

// quiz is the skin quiz's answers so far (state.Quiz). It asks one question
// per turn, in this order, skipping what the customer already said ("I have
// dry skin, what do you recommend?" starts at the concern).
type quiz struct {
	SkinType    string   `json:"skin_type,omitempty"`
	Concern     string   `json:"concern,omitempty"`
	Preferences []string `json:"preferences,omitempty"`
	// PrefsDone is set once preferences were answered, "none" included.
	PrefsDone bool `json:"prefs_done,omitempty"`
}

// startQuiz begins the quiz with whatever the message already tells.
func (b *Bot) startQuiz(ctx context.Context, tn *turn) (reply, error) {
	q := &quiz{}
	q.absorb(newMsg(tn.Text), false)
	return b.nextQuestion(ctx, tn, q)
}

// answerQuiz reads an answer to the pending quiz question. ok is false when
// the message answers nothing: the caller decides whether it is another
// question or a miss.
func (b *Bot) answerQuiz(ctx context.Context, tn *turn) (reply, bool, error) {
	q := tn.st.Quiz
	if q == nil {
		q = &quiz{}
	}
	if !q.absorb(newMsg(tn.Text), q.SkinType != "" && q.Concern != "") {
		return reply{}, false, nil
	}
	r, err := b.nextQuestion(ctx, tn, q)
	return r, true, err
}

// retryQuiz asks the pending question again after an answer it could not
// read; it counts as a turn the bot could not answer.
func (b *Bot) retryQuiz(tn *turn) reply {
	q := tn.st.Quiz
	if q == nil {
		q = &quiz{}
	}
	return reply{Text: say(tn.lang, msgQuizRetry) + say(tn.lang, q.question()), Intent: IntentAdvice, miss: true}
}

// absorb takes every answer the message gives; the "none" preference only
// when the preferences question is the one asked (a bare "no" means
// nothing earlier). It reports whether anything was new.
func (q *quiz) absorb(m msg, prefsAsked bool) bool {
	got := false
	if q.SkinType == "" {
		if v := firstOf(m, skinTypeWords); v != "" {
			q.SkinType, got = v, true
		}
	}
	if q.Concern == "" {
		if v := firstOf(m, concernWords); v != "" {
			q.Concern, got = v, true
		}
	}
	if !q.PrefsDone {
		var prefs []string
		if m.any(veganWords) {
			prefs = append(prefs, prefVegan)
		}
		if m.any(fragranceFreeWords) || m.phrase(fragranceFreePhrases...) {
			prefs = append(prefs, prefFragranceFree)
		}
		switch {
		case len(prefs) > 0:
			q.Preferences, q.PrefsDone, got = prefs, true, true
		case prefsAsked && (m.any(noneWords) || m.phrase(nonePhrases...)):
			q.Preferences, q.PrefsDone, got = []string{}, true, true
		}
	}
	return got
}

// question is the next question to ask, "" when the quiz is complete.
func (q *quiz) question() string {
	switch {
	case q.SkinType == "":
		return msgQuizSkin
	case q.Concern == "":
		return msgQuizConcern
	case !q.PrefsDone:
		return msgQuizPrefs
	}
	return ""
}

// nextQuestion asks the next question, or answers with products when the
// quiz is complete and saves a signed-in customer's answers.
func (b *Bot) nextQuestion(ctx context.Context, tn *turn, q *quiz) (reply, error) {
	if next := q.question(); next != "" {
		tn.st.Pending, tn.st.Quiz = pendingQuiz, q
		return reply{Text: say(tn.lang, next), Intent: IntentAdvice}, nil
	}
	tn.st.Pending, tn.st.Quiz = "", nil
	cands, err := b.deps.Products.AdviceCandidates(ctx, tn.lang)
	if err != nil {
		return reply{}, err
	}
	picks := pick(cands, *q)
	r := reply{Intent: IntentAdvice, Suggestions: []support.Suggestion{}}
	if len(picks) == 0 {
		r.Text = say(tn.lang, msgAdviceNone)
	} else {
		titles := make([]string, len(picks))
		for i, p := range picks {
			r.Suggestions = append(r.Suggestions, support.Suggestion{ProductID: p.ID, Handle: p.Handle, Title: p.Title})
			titles[i] = p.Title
		}
		r.Text = say(tn.lang, msgAdvice, label(tn.lang, q.SkinType), label(tn.lang, q.Concern), strings.Join(titles, ", "))
		if b.llm != nil {
			r.Text = b.llm.phrase(ctx, b.log, tn.lang, adviceQuestion(*q), adviceFacts(picks), r.Text)
		}
	}
	if tn.CustomerID != "" {
		err := b.deps.Profiles.SaveSkinProfile(ctx, tn.CustomerID, customers.SkinProfile{
			SkinType: q.SkinType, Concern: q.Concern, Preferences: q.Preferences})
		switch {
		case err == nil:
			r.Text += say(tn.lang, msgProfileSaved)
		case errors.Is(err, customers.ErrNotFound):
		default:
			// The advice stands without the saved profile.
			b.log.WarnContext(ctx, "save skin profile", "error", err)
		}
	}
	return r, nil
}

// pick keeps the products for the skin type that meet every preference,
// those made for the concern (by a concerns attribute or a key ingredient)
// first, at most maxSuggestions, in the candidates' order otherwise.
func pick(cands []catalog.AdviceProduct, q quiz) []catalog.AdviceProduct {
	var hit, rest []catalog.AdviceProduct
	for _, p := range cands {
		if !slices.Contains(attrStrings(p.Attributes["skin_types"]), q.SkinType) {
			continue
		}
		if !meetsPrefs(p, q.Preferences) {
			continue
		}
		if forConcern(p, q.Concern) {
			hit = append(hit, p)
		} else {
			rest = append(rest, p)
		}
	}
	out := append(hit, rest...)
	return out[:min(len(out), maxSuggestions)]
}

func meetsPrefs(p catalog.AdviceProduct, prefs []string) bool {
	for _, pref := range prefs {
		switch pref {
		case prefVegan:
			if p.Attributes["vegan"] != true {
				return false
			}
		case prefFragranceFree:
			if p.Attributes["fragrance_free"] != true && !slices.Contains(p.Tags, "fragrance-free") &&
				!slices.Contains(p.Tags, "fragrance_free") {
				return false
			}
		}
	}
	return true
}

func forConcern(p catalog.AdviceProduct, concern string) bool {
	if slices.Contains(attrStrings(p.Attributes["concerns"]), concern) {
		return true
	}
	for _, ing := range attrStrings(p.Attributes["key_ingredients"]) {
		ing = fold(ing)
		for _, want := range concernIngredients[concern] {
			if strings.Contains(ing, want) {
				return true
			}
		}
	}
	return false
}

// attrStrings reads a list attribute decoded from JSON ([]any of strings);
// a single string counts as a list of one.
func attrStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func firstOf(m msg, vocab map[string]string) string {
	for _, w := range m.words {
		if v := vocab[w]; v != "" {
			return v
		}
	}
	return ""
}

// adviceQuestion and adviceFacts are what the model phrases advice from.
func adviceQuestion(q quiz) string {
	return "Skin type: " + q.SkinType + "; concern: " + q.Concern + "; preferences: " +
		strings.Join(q.Preferences, ", ")
}

func adviceFacts(ps []catalog.AdviceProduct) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = "Product: " + p.Title + "; key ingredients: " +
			strings.Join(attrStrings(p.Attributes["key_ingredients"]), ", ") + "; skin types: " +
			strings.Join(attrStrings(p.Attributes["skin_types"]), ", ")
	}
	return out
}

// The quiz's vocabulary, folded, English and French: word -> answer.
var (
	skinTypeWords = map[string]string{
		"dry": "dry", "seche": "dry", "sec": "dry", "oily": "oily", "greasy": "oily", "grasse": "oily",
		"gras": "oily", "combination": "combination", "combo": "combination", "mixed": "combination",
		"mixte": "combination", "sensitive": "sensitive", "reactive": "sensitive", "sensible": "sensitive",
		"normal": "normal", "normale": "normal",
	}
	concernWords = map[string]string{
		"hydration": "hydration", "hydrate": "hydration", "hydrating": "hydration", "moisture": "hydration",
		"dryness": "hydration", "dehydrated": "hydration", "hydratation": "hydration",
		"deshydratee": "hydration", "tiraillements": "hydration",
		"acne": "acne", "blemish": "acne", "blemishes": "acne", "spots": "acne", "pimples": "acne",
		"breakouts": "acne", "pores": "acne", "boutons": "acne", "imperfections": "acne",
		"redness": "redness", "red": "redness", "rosacea": "redness", "irritation": "redness",
		"irritated": "redness", "rougeurs": "redness", "rougeur": "redness", "couperose": "redness",
		"ageing": "ageing", "aging": "ageing", "age": "ageing", "wrinkles": "ageing", "lines": "ageing",
		"firmness": "ageing", "rides": "ageing", "ridules": "ageing", "vieillissement": "ageing",
		"fermete":  "ageing",
		"dullness": "dullness", "dull": "dullness", "glow": "dullness", "radiance": "dullness",
		"brightness": "dullness", "eclat": "dullness", "terne": "dullness", "teint": "dullness",
	}
	// concernIngredients are folded fragments of key ingredients known to
	// address each concern.
	concernIngredients = map[string][]string{
		"hydration": {"hyaluronic", "glycerin", "ceramide", "squalane", "panthenol", "urea"},
		"acne":      {"niacinamide", "zinc", "salicylic", "kaolin", "bentonite", "tea tree"},
		"redness":   {"centella", "madecassoside", "oat", "allantoin", "panthenol"},
		"ageing":    {"retin", "peptide", "bakuchiol", "ascorb", "ferulic"},
		"dullness":  {"glycolic", "lactic", "ascorb", "vitamin c", "ferulic"},
	}
	veganWords           = setOf("vegan", "vegane", "vegetalien", "vegetalienne")
	fragranceFreeWords   = setOf("unscented", "fragrancefree")
	fragranceFreePhrases = []string{"fragrance free", "no fragrance", "without fragrance", "perfume free",
		"no perfume", "without perfume", "sans parfum", "non parfume", "sans fragrance"}
	noneWords   = setOf("none", "no", "nope", "nothing", "any", "aucune", "aucun", "rien", "non", "pas")
	nonePhrases = []string{"no preference", "doesn t matter", "peu importe", "n importe"}
)
