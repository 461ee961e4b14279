package example

import (
	"database/sql"
	"net/http"

	_ "github.com/lib/pq"
)

// A PostgreSQL driver is imported: the fix passes the value as $1.
func byID(db *sql.DB, r *http.Request) (*sql.Rows, error) {
	id := r.URL.Query().Get("id")
	// ruleid: sqli
	return db.Query("SELECT name FROM users WHERE id = " + id)
}

func byName(db *sql.DB, r *http.Request) *sql.Row {
	name := r.FormValue("name")
	// ruleid: sqli
	return db.QueryRow("SELECT id FROM users WHERE name = '" + name + "' AND active")
}

func fixed(db *sql.DB, r *http.Request) (*sql.Rows, error) {
	// ok: sqli
	return db.Query("SELECT name FROM users WHERE id = $1", r.URL.Query().Get("id"))
}
