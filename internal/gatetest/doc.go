// Package gatetest holds the tests that every output of cprready stays
// valid, keeps its names and check IDs, and masks what a server echoed,
// whatever the secrets are: common and Danish passwords, every word of
// cprready's own outputs, random secrets. It has no code of its own.
package gatetest
