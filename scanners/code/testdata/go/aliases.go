package example

import (
	h "crypto/md5"
	"crypto/tls"
	"database/sql"
	"math/rand"
	"net/http"
	"os/exec"
)

func digest(b []byte) [16]byte {
	// ruleid: weak-crypto
	return h.Sum(b)
}

func client() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		// ruleid: tls
		InsecureSkipVerify: true,
		// ruleid: tls
		MinVersion: tls.VersionTLS10,
	}}}
}

func handler(db *sql.DB, w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	// ruleid: sqli
	db.Query("SELECT name FROM users WHERE id = " + id)
	// ok: sqli
	db.Query("SELECT name FROM users WHERE id = ?", id)
	// ruleid: cmdi
	exec.Command("sh", "-c", "ls "+id).Run()
	// ok: cmdi
	exec.Command("ls", "-l").Run()
	// ok: sqli
	_ = "db.Query(\"SELECT \" + id)"
	// db.Query("SELECT " + id)
}

func newSessionToken() int64 {
	// ruleid: weak-random
	return rand.Int63()
}

func backoff() int {
	// ok: weak-random
	return rand.Intn(100)
}
