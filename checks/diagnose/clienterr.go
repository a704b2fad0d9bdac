package diagnose

import "github.com/cprready/cprready/datafordeler"

// clientErrors map client-side error texts to causes, most specific
// first. The texts are the clients' own: Go's net/http and crypto/x509,
// Java's JSSE and java.net, .NET's HttpClient and SslStream, Python's
// requests, urllib3 and ssl, Node's errno codes, PowerShell, curl's exit
// codes.
var clientErrors = []struct {
	cause    datafordeler.Cause
	stack    string
	patterns []string
}{
	{datafordeler.CauseWrongScheme, "the server", []string{"client sent an http request to an https server"}},
	{datafordeler.CauseProxy, "a proxy", []string{"proxy authentication required", "received http code 407", "proxyconnect", "407 from proxy", "unable to connect to proxy", "cannot connect to proxy", "proxyerror"}},
	{datafordeler.CauseTLSNotYetValid, "TLS", []string{"is not yet valid", "certificatenotyetvalidexception", "certificate is not yet valid", "cert_not_yet_valid"}},
	{datafordeler.CauseTLSExpired, "TLS", []string{"certificate has expired", "certificateexpiredexception", "certificate expired", "cert_has_expired", "curl: (60) ssl certificate problem: certificate has expired"}},
	{datafordeler.CauseTLSHostname, "TLS", []string{"certificate is valid for", "doesn't match", "does not match", "no subject alternative", "remotecertificatenamemismatch", "curl: (51)", "hostname mismatch", "subject alternative name", "err_tls_cert_altname_invalid", "hostname '"}},
	{datafordeler.CauseClientCertRejected, "TLS", []string{"tls: bad certificate", "certificate required", "alert bad certificate", "bad_certificate", "received fatal alert: certificate_unknown", "curl: (58)", "unknown certificate", "sslv3_alert_bad_certificate", "tlsv13_alert_certificate_required"}},
	{datafordeler.CauseTLSUnknownAuthority, "TLS", []string{"certificate signed by unknown authority", "pkix path building failed", "unable to find valid certification path", "curl: (60)", "unable to get local issuer certificate", "self signed certificate in certificate chain", "self-signed certificate in certificate chain", "remotecertificatechainerrors", "the remote certificate is invalid", "untrusted root", "certificate_verify_failed", "unable_to_verify_leaf_signature", "self_signed_cert_in_chain", "depth_zero_self_signed_cert", "unable_to_get_issuer_cert", "could not establish trust relationship", "remotecertificatevalidationcallback", "authenticationexception"}},
	{datafordeler.CauseDNS, "DNS", []string{"no such host", "could not resolve host", "curl: (6)", "unknownhostexception", "name or service not known", "nodename nor servname", "no such host is known", "temporary failure in name resolution", "getaddrinfo", "enotfound", "nameresolutionerror", "failed to resolve", "the remote name could not be resolved", "eai_again"}},
	{datafordeler.CauseRefused, "TCP", []string{"connection refused", "curl: (7)", "actively refused", "econnrefused", "connectionrefusederror", "unable to connect to the remote server"}},
	{datafordeler.CauseReset, "TCP", []string{"connection reset", "econnreset", "curl: (56)", "forcibly closed", "connectionreseterror", "socket hang up", "the underlying connection was closed"}},
	{datafordeler.CauseTimeout, "network", []string{"i/o timeout", "context deadline exceeded", "timeout awaiting", "timed out", "curl: (28)", "sockettimeoutexception", "taskcanceledexception", "the operation was canceled", "httpclient.timeout", "deadline exceeded", "etimedout", "connecttimeout", "readtimeout", "econnaborted", "the operation has timed out"}},
}
