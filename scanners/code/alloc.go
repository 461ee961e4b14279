package code

// The tree-sitter binding routes every allocation of the C library through
// Go (C calls Go's go_malloc, which calls C's malloc): a cgo callback per
// allocation, a tenth of the time of a large parse and most of freeing its
// tree. The library's own default is malloc itself, the same allocator the
// callbacks end in, so what was allocated through them is freed alike.
// ts_set_allocator is part of tree-sitter's public C API (api.h); called
// with NULLs it restores the defaults.

/*
#include <stdlib.h>
void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t), void *(*new_realloc)(void *, size_t), void (*new_free)(void *));
static void shiftward_native_allocator(void) { ts_set_allocator(NULL, NULL, NULL, NULL); }
*/
import "C"

func init() { C.shiftward_native_allocator() }
