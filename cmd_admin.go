package main

import (
	"context"
	"errors"
	"io"
)

func cmdAdmin(ctx context.Context, args []string, out io.Writer) error {
	return errors.New("admin: not wired yet")
}

func jwtSecret(ctx context.Context, d any, c config, log any) ([]byte, error) {
	return []byte(c.JWTSecret), nil
}
