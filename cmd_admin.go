package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"storekeep/internal/platform/auth"
	"storekeep/internal/platform/db"
	"storekeep/internal/platform/errs"
	"storekeep/internal/staff"
)

// cmdAdmin is `storekeep admin create --email E --password P --role R`: the
// way the first staff user comes to exist.
func cmdAdmin(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("admin: usage: storekeep admin create --email E --password P --role admin|manager|support|warehouse")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	email := fs.String("email", "", "the staff user's e-mail")
	password := fs.String("password", "", "the staff user's password (10 to 128 characters)")
	role := fs.String("role", auth.RoleAdmin, "admin, manager, support or warehouse")
	c, err := loadConfig(fs, args[1:])
	if err != nil {
		return err
	}
	if *email == "" || *password == "" {
		return errors.New("admin create: --email and --password are required")
	}
	d, err := db.Open(ctx, c.DatabaseURL, newLogger(c, os.Stderr))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	u, err := staff.NewService(d, nil, nil, nil).Create(ctx, staff.CreateInput{Email: *email, Password: *password, Role: *role})
	if err != nil {
		return fmt.Errorf("admin create: %s", describe(err))
	}
	fmt.Fprintf(out, "created %s staff user %s (%s)\n", u.Role, u.Email, u.ID)
	return nil
}

// describe renders a domain error for a terminal: its message and fields.
func describe(err error) string {
	e, ok := errs.As(err)
	if !ok {
		return err.Error()
	}
	msg := e.Message
	for _, f := range e.Fields {
		msg += fmt.Sprintf("; %s %s", f.Field, f.Message)
	}
	return msg
}

// jwtSecret returns the HS256 secret: STOREKEEP_JWT_SECRET when set (at least
// 32 bytes), otherwise the one stored in the settings table, generated on
// first use with a warning (every node of a cluster then shares it).
func jwtSecret(ctx context.Context, d *db.DB, c config, log *slog.Logger) ([]byte, error) {
	if c.JWTSecret != "" {
		if len(c.JWTSecret) < auth.MinSecretLen {
			return nil, fmt.Errorf("STOREKEEP_JWT_SECRET must be at least %d bytes (got %d)", auth.MinSecretLen, len(c.JWTSecret))
		}
		return []byte(c.JWTSecret), nil
	}
	secret, generated, err := auth.StoredSecret(ctx, d)
	if err != nil {
		return nil, err
	}
	if generated {
		log.Warn("STOREKEEP_JWT_SECRET is not set; generated a JWT secret and stored it in the database (set the variable in production)")
	}
	return secret, nil
}
