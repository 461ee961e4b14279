package example

import (
	"database/sql"
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
