package bot

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"storekeep/internal/support"
)

// fakeModel stands in for an OpenAI-compatible chat-completions endpoint
// (a real model is outside this machine): it answers with reply and keeps
// the requests it got.
type fakeModel struct {
	mu    sync.Mutex
	reqs  []chatRequest
	auths []string
}

func (f *fakeModel) server(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req chatRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		f.mu.Lock()
		f.reqs = append(f.reqs, req)
		f.auths = append(f.auths, r.Header.Get("Authorization"))
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (f *fakeModel) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

func answer(content string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{
			"message": map[string]string{"role": "assistant", "content": content}}}})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}
}

const shipAnswer = "Orders leave our warehouse within 1 working day; delivery takes 2 to 4 working days."

func TestLLMPhrasesFAQAndAdviceFromRetrievedFactsOnly(t *testing.T) {
	t.Parallel()
	var m fakeModel
	srv := m.server(t, answer("  Good news: we ship within a day, and delivery takes 2-4 working days.  "))
	s := newShop(t, WithLLM(LLMConfig{URL: srv.URL + "/v1/chat/completions", Model: "tiny", Key: "sk-test"}))

	r := s.last(t, support.Turn{Locale: "en"}, "How long does shipping take?")
	if r.Intent != "faq" || r.Text != "Good news: we ship within a day, and delivery takes 2-4 working days." {
		t.Fatalf("faq reply = %+v, want the model's phrasing, trimmed", r)
	}
	req := m.reqs[0]
	if req.Model != "tiny" || m.auths[0] != "Bearer sk-test" || len(req.Messages) != 2 {
		t.Fatalf("request = %+v auth %q", req, m.auths[0])
	}
	if sys := req.Messages[0].Content; !strings.Contains(sys, "ONLY the facts") || !strings.Contains(sys, "English") {
		t.Errorf("system prompt = %q", sys)
	}
	if u := req.Messages[1].Content; !strings.Contains(u, shipAnswer) || !strings.Contains(u, "How long does shipping take?") {
		t.Errorf("user message = %q, want the retrieved entry and the question", u)
	}

	// Advice: the model phrases, the suggestions still come from the
	// database.
	r = s.last(t, support.Turn{Locale: "fr"}, "conseil", "sèche", "hydratation", "vegan")
	if len(r.Suggestions) != 3 || !strings.HasPrefix(r.Text, "Good news") {
		t.Errorf("advice reply = %+v", r)
	}
	last := m.reqs[len(m.reqs)-1]
	if !strings.Contains(last.Messages[0].Content, "French") || !strings.Contains(last.Messages[1].Content, r.Suggestions[0].Title) {
		t.Errorf("advice request = %+v", last)
	}

	// Order facts never go through the model.
	before := m.count()
	s.order(t, "SK-1001", s.ada.ID, "ada@example.com", "confirmed", "shipped", day, "Colissimo", "6A1")
	r = s.last(t, support.Turn{Locale: "en", CustomerID: s.ada.ID}, "where is my order?")
	if r.Order == nil || strings.Contains(r.Text, "Good news") || m.count() != before {
		t.Errorf("order reply = %+v after %d model calls (before %d)", r, m.count(), before)
	}
}

func TestLLMFailureFallsBackToRuleBasedAnswer(t *testing.T) {
	t.Parallel()
	cases := map[string]func(w http.ResponseWriter, r *http.Request){
		"500": func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "overloaded", http.StatusInternalServerError)
		},
		"timeout": func(_ http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // answers only once the bot has given up
		},
		"garbage":     func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>not json")) },
		"no choices":  func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"choices":[]}`)) },
		"empty":       answer("   "),
		"nul":         answer("ok\x00"),
		"too long":    answer(strings.Repeat("a", maxLLMAnswer+1)),
		"wrong shape": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"choices":"x"}`)) },
	}
	s := newShop(t)
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			var m fakeModel
			srv := m.server(t, h)
			b := NewFromDB(s.d, WithLLM(LLMConfig{URL: srv.URL, Model: "tiny", Timeout: 100 * time.Millisecond}))
			r, err := b.Respond(t.Context(), support.Turn{Locale: "en", Text: "How long does shipping take?"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Text != shipAnswer || r.Intent != "faq" {
				t.Errorf("reply = %+v, want the FAQ's own answer", r)
			}
			if m.count() != 1 {
				t.Errorf("model called %d times, want 1", m.count())
			}
		})
	}
	// No URL: no model at all.
	b := NewFromDB(s.d, WithLLM(LLMConfig{}))
	if b.llm != nil {
		t.Errorf("an empty URL configured a model")
	}
}
