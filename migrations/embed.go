// Package migrations embeds Storekeep's versioned SQL schema, one directory per
// dialect. Files are goose migrations named NNNNN_what.sql; a number is never
// reused or edited once it has landed on main: a change is a new file.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
