package code

import (
	"reflect"
	"sort"
	"testing"
)

func TestJavaQualifiedImports(t *testing.T) {
	src := []byte(`class A {
  javax.naming.directory.DirContext ctx = new javax.naming.directory.InitialDirContext(env);
  String s = "org.example";   // no class
  Object o = java.util.UUID.randomUUID();
  myorg.x.Y y;                 // not a root at a word start
  com.Foo f;                   // a class right under the root
}`)
	u := &unit{imports: map[string]bool{}}
	javaQualifiedImports(u, src)
	var got []string
	for k := range u.imports {
		got = append(got, k)
	}
	sort.Strings(got)
	want := []string{"com", "com.Foo", "java.util", "java.util.UUID", "javax.naming.directory", "javax.naming.directory.DirContext",
		"javax.naming.directory.InitialDirContext"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("imports = %v, want %v", got, want)
	}
}
