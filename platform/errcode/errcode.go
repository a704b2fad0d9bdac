// Package errcode is the one list of the platform's error codes, as its
// responses carry them (errorCode in a problem body, extensions.code in a
// GraphQL error), each recorded in the evidence corpus
// (platform/testdata/evidence) or the platform spec's sources. gql raises them, datafordeler classifies them, diagnose
// explains them, the emulator answers them and the evidence corpus holds
// them: all name them from here (TestNoCodeWrittenOut).
package errcode

// The codes.
const (
	// AuthNotAuthorized: no approved access to the entity (a GraphQL
	// error, or 403 on file downloads).
	AuthNotAuthorized = "DAF-AUTH-0001"
	// AuthBothCredentials: an API key and an Authorization header in one
	// request.
	AuthBothCredentials = "DAF-AUTH-0002" // #nosec G101 -- an error code, not a credential
	// AuthNoCredential: 401, no credential the platform accepts; with
	// "ip address is not verified" the caller's address is not
	// whitelisted.
	AuthNoCredential = "DAF-AUTH-0005" // #nosec G101 -- an error code, not a credential
	// Alias: aliases are not allowed.
	Alias = "DAF-GQL-0008"
	// TimeArgument: neither a time argument nor an id filter on a
	// bitemporal root field.
	TimeArgument = "DAF-GQL-0009"
	// OneRootField: more than one root field.
	OneRootField = "DAF-GQL-0010"
	// InListTooLong: an in list over 100 values.
	InListTooLong = "DAF-GQL-0016"
	// Syntax: Hot Chocolate's code for a document that does not parse.
	Syntax = "HC0011"
	// Introspection: introspection is disabled.
	Introspection = "HC0046"
	// AcceptHeader: Hot Chocolate cannot read the Accept header.
	AcceptHeader = "HC0064"
)

// All lists every code, for tests that hold each to its explanation.
func All() []string {
	return []string{AuthNotAuthorized, AuthBothCredentials, AuthNoCredential, Alias, TimeArgument, OneRootField, InListTooLong, Syntax, Introspection, AcceptHeader}
}
