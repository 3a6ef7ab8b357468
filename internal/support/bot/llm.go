package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"storekeep/internal/platform/text"
)

// DefaultLLMTimeout bounds one model call: past it the customer gets the
// rule-based answer, which was ready before the call started.
const DefaultLLMTimeout = 5 * time.Second

// maxLLMAnswer bounds the model's answer (characters) and maxLLMBody the
// response read from the endpoint (bytes); longer is treated as a failure.
const (
	maxLLMAnswer = 1200
	maxLLMBody   = 1 << 20
)

// LLMConfig names an OpenAI-compatible chat-completions endpoint that
// phrases FAQ and advice answers. URL empty: no model (the default).
type LLMConfig struct {
	// URL is the full endpoint, e.g. https://api.example.com/v1/chat/completions.
	URL   string
	Model string
	// Key is sent as a bearer token when set.
	Key string
	// Timeout defaults to DefaultLLMTimeout.
	Timeout time.Duration
	// Client defaults to a plain http.Client.
	Client *http.Client
}

// WithLLM has FAQ and advice answers phrased by a language model from the
// retrieved entry or products only. Order facts never go to the model, and
// any failure falls back to the rule-based answer.
func WithLLM(c LLMConfig) Option {
	return func(b *Bot) {
		if c.URL == "" {
			b.llm = nil
			return
		}
		if c.Timeout <= 0 {
			c.Timeout = DefaultLLMTimeout
		}
		if c.Client == nil {
			c.Client = &http.Client{}
		}
		b.llm = &llm{cfg: c}
	}
}

type llm struct{ cfg LLMConfig }

// systemPrompt keeps the model to the facts: it rephrases, it does not know.
const systemPrompt = "You are the customer support assistant of an online skincare shop. " +
	"Answer the customer's message in %s, in two or three short sentences of plain text (no markdown, no links), " +
	"using ONLY the facts below. Never add information, products, prices, dates, promises or advice that the facts " +
	"do not state. If the facts do not answer the message, restate the facts as they are."

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Temperature float64       `json:"temperature"`
	MaxTokens   int           `json:"max_tokens"`
}

type chatResponse struct {
	Choices []struct {
		Message chatMessage `json:"message"`
	} `json:"choices"`
}

// phrase asks the model to answer question from facts; on any failure it
// logs at warn and returns fallback.
func (l *llm) phrase(ctx context.Context, log *slog.Logger, lang, question string, facts []string, fallback string) string {
	out, err := l.complete(ctx, lang, question, facts)
	if err != nil {
		log.WarnContext(ctx, "bot model failed, rule-based answer used", "error", err)
		return fallback
	}
	return out
}

func (l *llm) complete(ctx context.Context, lang, question string, facts []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.Timeout)
	defer cancel()
	language := "English"
	if lang == "fr" {
		language = "French"
	}
	body, err := json.Marshal(chatRequest{Model: l.cfg.Model, Temperature: 0.2, MaxTokens: 300, Messages: []chatMessage{
		{Role: "system", Content: fmt.Sprintf(systemPrompt, language)},
		{Role: "user", Content: "Facts:\n- " + strings.Join(facts, "\n- ") + "\n\nCustomer message: " + question},
	}})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if l.cfg.Key != "" {
		req.Header.Set("Authorization", "Bearer "+l.cfg.Key)
	}
	resp, err := l.cfg.Client.Do(req)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("model status %d", resp.StatusCode)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxLLMBody+1))
	if err != nil {
		return "", err
	}
	if len(raw) > maxLLMBody {
		return "", fmt.Errorf("model answer over %d bytes", maxLLMBody)
	}
	var cr chatResponse
	if err := json.Unmarshal(raw, &cr); err != nil {
		return "", fmt.Errorf("decode model answer: %w", err)
	}
	if len(cr.Choices) == 0 {
		return "", fmt.Errorf("model answer has no choices")
	}
	out := strings.TrimSpace(cr.Choices[0].Message.Content)
	switch {
	case out == "":
		return "", fmt.Errorf("model answer is empty")
	case utf8.RuneCountInString(out) > maxLLMAnswer:
		return "", fmt.Errorf("model answer over %d characters", maxLLMAnswer)
	case !text.Valid(out, text.Free):
		// The answer is stored as a message: the same characters a customer
		// may send, and no NUL for PostgreSQL to refuse.
		return "", fmt.Errorf("model answer has control characters")
	}
	return out, nil
}
