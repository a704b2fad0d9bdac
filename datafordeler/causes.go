package datafordeler

// Causes is every cause the client tells apart, in the order errors.go
// declares them: the one list that diagnose's docs, explain and the
// evidence tests iterate (TestCausesListsEveryConstant holds it to the
// declarations).
func Causes() []Cause {
	return []Cause{
		CauseDNS, CauseRefused, CauseReset, CauseTimeout,
		CauseCancelled, CauseNetwork, CauseProxy, CauseTLSUnknownAuthority,
		CauseTLSHostname, CauseTLSExpired, CauseTLS, CauseClientCertRejected,
		CauseInvalidClient, CauseUnauthorizedClient, CauseInvalidScope, CauseTokenError,
		CauseTokenServer, CauseTokenNotJSON, CauseNoAccessToken, CauseIPNotVerified,
		CauseNoCredential, CauseInvalidToken, CauseNoAccess, CauseBothCredentials,
		CauseMandatorySelection, CauseAlias, CauseGraphQL, CauseRateLimited,
		CauseServer, CauseMalformed, CauseNotFound, CauseHTTP,
		CauseRedirect, CauseWrongScheme, CauseTLSNotYetValid, CauseTokenExpiry,
		CauseUnreachable, CauseRequiredFilter, CausePagePastLast,
	}
}
