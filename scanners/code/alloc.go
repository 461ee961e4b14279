package code

// Tree-sitter's memory is C memory, outside what Go counts, and it is the
// largest part of a parse: 25 to 95 bytes of tree per byte of real code, up
// to 250 for hostile input (a literal of a million elements). So its
// allocations go through the counting functions below, and a parse that
// allocates more than its budget is abandoned (see tsParse).
//
// The binding routes every allocation of the library through Go (C calls
// Go's go_malloc, which calls malloc): a cgo callback per allocation, a
// tenth of a large parse. These call malloc directly; what was allocated
// before they were installed came from malloc too, so it is freed alike.
// ts_set_allocator is part of tree-sitter's public C API (api.h).
//
// The count is per thread: a parse runs in one C call, on one thread
// (runtime.LockOSThread keeps the goroutine there between the calls that
// read it), and other parses on other threads do not disturb it. It counts
// what is allocated, not what is held: an upper bound on what the parse
// holds.

/*
#include <stdlib.h>
#include <stdint.h>

void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t), void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

// glibc returns the freed pages of a large tree to the system with it;
// elsewhere (musl) the weak symbol is NULL and the call is skipped.
extern int malloc_trim(size_t pad) __attribute__((weak));

static __thread uint64_t sw_allocated;

static void *sw_malloc(size_t n) { sw_allocated += n; return malloc(n); }
static void *sw_calloc(size_t n, size_t m) { sw_allocated += n * m; return calloc(n, m); }
static void *sw_realloc(void *p, size_t n) { sw_allocated += n; return realloc(p, n); }

static void sw_install(void) { ts_set_allocator(sw_malloc, sw_calloc, sw_realloc, free); }
static uint64_t sw_allocated_bytes(void) { return sw_allocated; }
static void sw_trim(void) { if (malloc_trim) malloc_trim(0); }
*/
import "C"

func init() { C.sw_install() }

// allocated is how many bytes tree-sitter has allocated on this thread.
func allocated() uint64 { return uint64(C.sw_allocated_bytes()) }

// trim hands the C heap's free pages back to the system, after a large
// tree is freed: otherwise they stay counted against the process while the
// walk that follows grows the Go heap beside them.
func trim() { C.sw_trim() }
