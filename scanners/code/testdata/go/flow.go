package example

import (
	"database/sql"
	"fmt"
	"net/http"
	"os/exec"
)

func lookup(db *sql.DB, r *http.Request, fallback bool) {
	var id string
	if fallback {
		id = "0"
	} else {
		id = r.FormValue("id")
	}
	// ruleid: sqli
	db.Query("SELECT name FROM users WHERE id = '" + id + "'")
}

func search(db *sql.DB, r *http.Request) {
	term := r.FormValue("q")
	if term == "" {
		term = "all"
	}
	// ruleid: sqli
	db.Query("SELECT name FROM items WHERE tag = '" + term + "'")
}

func run(r *http.Request, mode string) {
	prog := "ls"
	switch mode {
	case "custom":
		prog = r.FormValue("prog")
	case "long":
		prog = "ls -l"
	}
	// ruleid: cmdi
	exec.Command(prog).Run()
}

func constant(db *sql.DB, admin bool) {
	table := "users"
	if admin {
		table = "admins"
	} else {
		table = "guests"
	}
	// ok: sqli
	db.Query("SELECT name FROM " + table)
}

func reassigned(db *sql.DB, r *http.Request) {
	if r.Method == http.MethodGet {
		id := r.FormValue("id")
		_ = id
	}
	id := "1"
	// ok: sqli
	db.Query("SELECT name FROM users WHERE id = " + id)
}

func appended(db *sql.DB, r *http.Request) {
	parts := []string{"SELECT name FROM users WHERE id = "}
	parts = append(parts, r.FormValue("id"))
	// ruleid: sqli
	db.Query(parts[0] + parts[1])
	fixed := []string{"SELECT name FROM users", " WHERE id = 1"}
	fixed = append(fixed, " LIMIT 1")
	// ok: sqli
	db.Query(fixed[0] + fixed[1])
}

func printed(db *sql.DB, w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	query := fmt.Printf("SELECT name FROM users WHERE id = '%s'", id)
	// ruleid: sqli
	db.Query(query)
	count := fmt.Fprintf(w, "SELECT name FROM users WHERE id = %d", 3)
	// ok: sqli
	db.Query(count)
	// ok: xss
	fmt.Printf("<b>%s</b>\n", id)
	// ruleid: sqli
	db.ExecContext("DELETE FROM users WHERE id = " + id)
}
