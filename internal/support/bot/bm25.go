package bot

import "math"

// BM25 parameters: the usual k1 and b (Robertson and Zaragoza's defaults).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// DefaultFAQThreshold is the BM25 score an FAQ entry needs to be the answer.
// With a small FAQ (a handful to tens of entries per locale) a query word
// found in that entry only scores about 1.4, a word shared by two entries
// about 0.9, so 1.2 asks for at least one word that tells this entry apart
// (or several shared ones). The coverage rule (minFAQCoverage) stops a long
// off-topic sentence from riding on one shared word.
const DefaultFAQThreshold = 1.2

// minFAQCoverage is the share of the query's words (after stopwords) that
// the chosen entry must contain: "do you ship rockets to mars" shares "ship"
// with the shipping entry and nothing else, and gets no answer.
const minFAQCoverage = 0.5

// index is a BM25 index over documents given as token lists.
type index struct {
	docs  []map[string]int // term frequencies per document
	lens  []int
	avg   float64
	df    map[string]int
	total int
}

func newIndex(docs [][]string) *index {
	ix := &index{df: map[string]int{}, total: len(docs)}
	sum := 0
	for _, d := range docs {
		tf := map[string]int{}
		for _, t := range d {
			tf[t]++
		}
		for t := range tf {
			ix.df[t]++
		}
		ix.docs = append(ix.docs, tf)
		ix.lens = append(ix.lens, len(d))
		sum += len(d)
	}
	if len(docs) > 0 {
		ix.avg = float64(sum) / float64(len(docs))
	}
	return ix
}

// idf is BM25's inverse document frequency in the form that never goes
// negative (Lucene's), so a word found in most entries adds little rather
// than counting against them.
func (ix *index) idf(t string) float64 {
	n := float64(ix.df[t])
	return math.Log(1 + (float64(ix.total)-n+0.5)/(n+0.5))
}

// score is document i's BM25 score for the query terms (each distinct term
// counted once) and the share of those terms it contains.
func (ix *index) score(i int, query []string) (score, coverage float64) {
	if len(query) == 0 || ix.avg == 0 {
		return 0, 0
	}
	seen := map[string]bool{}
	hits, terms := 0, 0
	for _, t := range query {
		if seen[t] {
			continue
		}
		seen[t] = true
		terms++
		f := float64(ix.docs[i][t])
		if f == 0 {
			continue
		}
		hits++
		norm := bm25K1 * (1 - bm25B + bm25B*float64(ix.lens[i])/ix.avg)
		score += ix.idf(t) * f * (bm25K1 + 1) / (f + norm)
	}
	return score, float64(hits) / float64(terms)
}

// best returns the best-scoring document for query, its score and coverage;
// -1 when the index is empty or nothing matches. Ties keep the earlier
// document, so the answer is deterministic.
func (ix *index) best(query []string) (doc int, score, coverage float64) {
	doc = -1
	for i := range ix.docs {
		s, c := ix.score(i, query)
		if s > score {
			doc, score, coverage = i, s, c
		}
	}
	return doc, score, coverage
}
