package platform

// Probe queries: what the live checks send. Each selects the least it can
// and only what the evidence confirms where it can, and asks for a person
// who cannot exist (a CPR number of zeros, a name nobody has), so that a
// check never fetches a real person's data.
const (
	// public: the v1 input (C) and the seed's v2 beskyttelser selection
	// (C in both versions); v2's personnummer input is inherited (I).
	publicProbe = `query { CPRCustom_PublicSectorPerson(input: { personnummer: { personnummer: { in: ["0000000000"] } } }) { nodes { beskyttelser { beskyttelsestype status virkningfra virkningtil } } } }`
	// private: the seed's input (C); beskyttelser's sub-fields are
	// inferred from the public service (I).
	privateProbe = `query { CPRCustom_PrivateSectorPerson(input: { navn: { fornavn: "Ingen" efternavn: "Sådan" } foedselsdato: "1900-01-01" }) { status beskyttelser { beskyttelsestype status virkningfra virkningtil } } }`
	// events: the seed's filter and the events page's fields (C).
	eventsProbe = `query { CPR_Events(first: 1, where: { entityname: { eq: "Cprhaendelse" } }) { nodes { eventid entityname eventaction } pageInfo { hasNextPage endCursor } } }`
)

// ProbeQuery is the query the live checks send to a service.
func ProbeQuery(s Service) string {
	switch s {
	case Public:
		return publicProbe
	case Private:
		return privateProbe
	}
	return eventsProbe
}
