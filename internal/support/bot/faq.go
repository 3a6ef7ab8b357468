package bot

// FAQ is one entry of the staff-managed FAQ (support_faqs).
type FAQ struct {
	ID       string
	Question string
	Answer   string
	Keywords []string
	Locale   string
}

// faqIndex matches messages against one locale's FAQ entries with BM25 over
// each entry's question and keywords (the answer is not indexed: it says
// things the customer did not ask about, "30 days", "free", and would pull
// in off-topic matches).
type faqIndex struct {
	faqs      []FAQ
	ix        *index
	threshold float64
}

func newFAQIndex(faqs []FAQ, threshold float64) *faqIndex {
	docs := make([][]string, len(faqs))
	for i, f := range faqs {
		docs[i] = Tokens(f.Question)
		for _, k := range f.Keywords {
			docs[i] = append(docs[i], Tokens(k)...)
		}
	}
	return &faqIndex{faqs: faqs, ix: newIndex(docs), threshold: threshold}
}

// faqMatch is the best entry for a message and how well it matched.
type faqMatch struct {
	FAQ      FAQ
	Score    float64
	Coverage float64
	// OK is whether the match clears the threshold and the coverage rule:
	// only then is the entry an answer.
	OK bool
}

func (f *faqIndex) match(text string) faqMatch {
	if f == nil {
		return faqMatch{}
	}
	q := Tokens(text)
	i, score, cov := f.ix.best(q)
	if i < 0 {
		return faqMatch{}
	}
	return faqMatch{FAQ: f.faqs[i], Score: score, Coverage: cov,
		OK: score >= f.threshold && cov >= minFAQCoverage}
}
