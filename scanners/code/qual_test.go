package code

import (
	"context"
	"strings"
	"testing"
)

// TestQualJoinLinks: the qualified name of every member chain, call and
// subscript is the same built in one buffer (not building) as link by link
// (building), for chains short of maxName, at it, and past it (clipped).
func TestQualJoinLinks(t *testing.T) {
	long := strings.Repeat("segment.", 20)
	src := []byte(`const cp = require('child_process');
req.query.x; req.body["name"].trim(); a[b].c(); (await x).y.z; new Foo().bar;
cp.exec(req.query.cmd);
this.route.snapshot.params.id;
` + "a." + strings.Repeat("b", maxName-10) + ".c.d.e;\n" + "root." + long + "end();\n" + "x" + long + "().y[0].z;\n")
	root, _, _, err := parseSource(context.Background(), "javascript", src)
	if err != nil {
		t.Fatal(err)
	}
	f := newJSFile(context.Background(), "javascript", src)
	checked, clipped := 0, 0
	var visit func(n *node)
	visit = func(n *node) {
		switch n.kind {
		case "member_expression", "subscript_expression", "call_expression", "new_expression":
			f.quals, f.building = map[*node]string{}, true
			want := f.qual(n)
			f.quals, f.building = map[*node]string{}, false
			if got := f.qual(n); got != want {
				t.Errorf("qual(%.40q) = %q, link by link %q", n.str(f.text), got, want)
			}
			checked++
			if strings.Contains(want, "…") {
				clipped++
			}
		}
		for _, c := range n.children {
			visit(c)
		}
	}
	visit(root)
	if checked < 20 || clipped == 0 {
		t.Errorf("checked %d names, %d clipped: the sample lost its chains", checked, clipped)
	}
}
