package datafordeler

// CheckURL is checkURL for tests.
var CheckURL = checkURL
