// Checks an address the user typed: the pattern is @generated-safe? No: this is hand-written.
const re = /^[^@\s]+@[^@\s]+$/;
const annotation = "@generatedAt";
module.exports = (s) => re.test(s);
