package comments

// CodeBlock puts content in a fenced code block whose fence is longer than
// any run of backticks inside it, so nothing in content can close the block
// early and put text (or a /shiftward command) outside it. info is the
// info string ("yaml"); content quoted back to users (a repository's file,
// a comment) goes through it.
func CodeBlock(info, content string) string { return codeBlock(info, content) }
