package main

import (
	"flag"
	"strings"
	"testing"

	"storekeep/internal/support/bot"
)

func TestBotLLMSettings(t *testing.T) {
	load := func(t *testing.T, env map[string]string) (config, error) {
		t.Helper()
		for k, v := range env {
			t.Setenv(k, v)
		}
		return loadConfig(flag.NewFlagSet("serve", flag.ContinueOnError), nil)
	}
	t.Run("off by default", func(t *testing.T) {
		c, err := load(t, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.BotLLM != (bot.LLMConfig{}) || !strings.Contains(c.String(), "bot_llm=off") {
			t.Errorf("BotLLM = %+v, config %s", c.BotLLM, c)
		}
	})
	t.Run("set", func(t *testing.T) {
		c, err := load(t, map[string]string{"STOREKEEP_BOT_LLM_URL": "https://llm.example.com/v1/chat/completions",
			"STOREKEEP_BOT_LLM_MODEL": "small-1", "STOREKEEP_BOT_LLM_KEY": "sk-very-secret"})
		if err != nil {
			t.Fatal(err)
		}
		want := bot.LLMConfig{URL: "https://llm.example.com/v1/chat/completions", Model: "small-1", Key: "sk-very-secret"}
		if c.BotLLM != want {
			t.Errorf("BotLLM = %+v, want %+v", c.BotLLM, want)
		}
		if s := c.String(); strings.Contains(s, "sk-very-secret") || !strings.Contains(s, "bot_llm=llm.example.com/small-1 key=true") {
			t.Errorf("config string = %s", s)
		}
	})
	for _, bad := range []map[string]string{
		{"STOREKEEP_BOT_LLM_URL": "llm.example.com", "STOREKEEP_BOT_LLM_MODEL": "m"},
		{"STOREKEEP_BOT_LLM_URL": "ftp://llm.example.com/x", "STOREKEEP_BOT_LLM_MODEL": "m"},
		{"STOREKEEP_BOT_LLM_URL": "https://llm.example.com/v1/chat/completions"},
		{"STOREKEEP_BOT_LLM_MODEL": "m"},
		{"STOREKEEP_BOT_LLM_KEY": "k"},
	} {
		t.Run("refused", func(t *testing.T) {
			if _, err := load(t, bad); err == nil {
				t.Errorf("%v accepted", bad)
			}
		})
	}
}
