package main

import (
	"fmt"
	"net/url"
	"os"

	"storekeep/internal/support/bot"
)

// Support bot settings (docs/support-bot.md): an optional OpenAI-compatible
// chat-completions endpoint that phrases FAQ and advice answers. Unset, the
// bot answers with its own sentences.

// loadBotLLM reads STOREKEEP_BOT_LLM_URL, _MODEL and _KEY.
func (c *config) loadBotLLM() error {
	c.BotLLM = bot.LLMConfig{URL: os.Getenv("STOREKEEP_BOT_LLM_URL"), Model: os.Getenv("STOREKEEP_BOT_LLM_MODEL"),
		Key: os.Getenv("STOREKEEP_BOT_LLM_KEY")}
	if c.BotLLM.URL == "" {
		if c.BotLLM.Model != "" || c.BotLLM.Key != "" {
			return fmt.Errorf("STOREKEEP_BOT_LLM_MODEL and STOREKEEP_BOT_LLM_KEY need STOREKEEP_BOT_LLM_URL")
		}
		return nil
	}
	u, err := url.Parse(c.BotLLM.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("STOREKEEP_BOT_LLM_URL must be an http(s) URL of a chat-completions endpoint, not %q", c.BotLLM.URL)
	}
	if c.BotLLM.Model == "" {
		return fmt.Errorf("STOREKEEP_BOT_LLM_MODEL must name the model when STOREKEEP_BOT_LLM_URL is set")
	}
	return nil
}

// botLLMString is the bot model setting for the startup log: the endpoint's
// host and the model, never the key.
func botLLMString(l bot.LLMConfig) string {
	if l.URL == "" {
		return "off"
	}
	host := l.URL
	if u, err := url.Parse(l.URL); err == nil {
		host = u.Host
	}
	return host + "/" + l.Model + " key=" + fmt.Sprint(l.Key != "")
}
