package main

import (
	"flag"
	"log/slog"
	"os"
	"strings"
)

// config is everything read from flags and the environment, once, in main.
type config struct {
	Addr        string
	DatabaseURL string
	JWTSecret   string
	CORSOrigins []string
	LogLevel    slog.Level
	LogFormat   string
}

// defaults come from DESIGN.md's configuration table; flags override env.
func loadConfig(fs *flag.FlagSet, args []string) (config, error) {
	c := config{
		Addr:        envOr("STOREKEEP_ADDR", ":8080"),
		DatabaseURL: envOr("DATABASE_URL", "sqlite:storekeep.db"),
		JWTSecret:   os.Getenv("STOREKEEP_JWT_SECRET"),
		LogFormat:   envOr("STOREKEEP_LOG_FORMAT", "json"),
	}
	for _, o := range strings.Split(os.Getenv("STOREKEEP_CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	if err := c.LogLevel.UnmarshalText([]byte(envOr("STOREKEEP_LOG_LEVEL", "info"))); err != nil {
		return c, err
	}
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (env STOREKEEP_ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "sqlite:PATH or postgres://... (env DATABASE_URL)")
	return c, fs.Parse(args)
}

// String prints the config with secrets masked.
func (c config) String() string {
	secret := "unset (generated and stored in the database)"
	if c.JWTSecret != "" {
		secret = "set (" + mask(c.JWTSecret) + ")"
	}
	return "addr=" + c.Addr + " database=" + maskURL(c.DatabaseURL) + " jwt_secret=" + secret +
		" cors=" + strings.Join(c.CORSOrigins, ",") + " log_level=" + c.LogLevel.String()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func mask(s string) string {
	if len(s) <= 4 {
		return "****"
	}
	return s[:2] + "****"
}

// maskURL hides a password in a database URL.
func maskURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	creds := u[scheme+3 : at]
	if user, _, ok := strings.Cut(creds, ":"); ok {
		return u[:scheme+3] + user + ":****" + u[at:]
	}
	return u
}
