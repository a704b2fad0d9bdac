package emulator

import "fmt"

// Synthetic persons, shaped as the reference schema (platform package)
// says the platform answers: relation objects with the person inside
// (boern { barn }, foraeldreoplysninger { foraelder }), status values in
// lower case, v1's fornavne and v2's fornavn side by side (each version's
// schema lets a query select only its own). Their CPR numbers fail the CPR
// modulus-11 check, so they can never be real people's (a test proves it).
// Fields whose sub-fields are unknown (CPR_Unknown) answer null.

type person map[string]any

// CPR numbers used; see TestSyntheticCPRNumbersAreNotValid.
var syntheticCPR = []string{"0906341234", "0101341235", "1207641236", "1506901237", "0203851238", "0101101239"}

func personID(n int) string { return fmt.Sprintf("4c4a5f0e-0000-4000-8000-%012d", n) }

func protections(kind string) []any {
	if kind == "" {
		return []any{}
	}
	return []any{map[string]any{"beskyttelsestype": kind, "status": "aktuel", "virkningfra": "2020-01-01T00:00:00.000000+01:00", "virkningtil": nil}}
}

func name(first, middle, last, from string) map[string]any {
	full := first
	if middle != "" {
		full += " " + middle
	}
	return map[string]any{
		"adresseringsnavn": last + "," + full, "fornavne": full, "fornavn": full, "mellemnavn": nilIfEmpty(middle), "efternavn": last,
		"status": "aktuel", "virkningfra": from, "virkningtil": nil,
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func address(kommune, kommunenavn, vej, vejnavn, husnr, postnr, by string) []any {
	return []any{map[string]any{
		"conavn": nil, "status": "aktuel", "virkningfra": "2015-03-01T00:00:00.000000+01:00", "virkningtil": nil,
		"cprAdresse": map[string]any{
			"daradresse": "0a3f50a0-0000-4000-8000-0000000000" + kommune[len(kommune)-2:], "bygningsnummer": nil, "bynavn": nil,
			"cprkommunekode": kommune, "cprkommunenavn": kommunenavn, "cprvejkode": vej, "vejadresseringsnavn": vejnavn, "vejnavn": vejnavn,
			"husnummer": husnr, "etage": "st", "sidedoer": "tv", "postnummer": postnr, "postdistrikt": by,
		},
		"supplerendeAdresse": nil,
	}}
}

// simpel is a related person (barn, foraelder).
func simpel(n int, cpr string, nm map[string]any, protection string) map[string]any {
	return map[string]any{"personid": personID(n), "personnummer": cpr, "beskyttelser": protections(protection), "navn": nm}
}

func persons() []person {
	rip := simpel(3, syntheticCPR[2], name("Rip", "", "And", "1964-07-12T00:00:00.000000+01:00"), "")
	mor := simpel(5, syntheticCPR[4], name("Mette", "", "Jensen", "1985-03-02T00:00:00.000000+01:00"), "")
	dk := map[string]any{"kode": "5100", "navn": "Danmark", "landekode": "DK", "administrativEnhedType": map[string]any{"typeKode": "LAND", "typeNavn": "Land"}}
	citizen := func(from string) []any {
		return []any{map[string]any{"cprland": dk, "status": "aktuel", "virkningFra": from, "virkningFraUsikkerhedsmarkering": false, "virkningTil": nil, "virkningTilUsikkerhedsmarkering": false}}
	}
	numbers := func(cpr, from string) []any {
		return []any{map[string]any{"personnummer": cpr, "status": "aktuel", "virkningfra": from, "virkningfrausikkerhedsmarkering": false, "virkningtil": nil, "virkningtilusikkerhedsmarkering": false}}
	}
	unknown := map[string]any{
		"foraeldremyndighedsoplysninger": nil, "kommunaleForhold": nil, "folkekirke": nil, "notater": nil,
		"vaergemaal": nil, "udrejseIndrejser": nil, "forsvindinger": nil, "kontaktadresse": nil,
		"udrejseIndrejse": nil, "forsvinding": nil,
	}
	with := func(p person) person {
		for k, v := range unknown {
			if _, ok := p[k]; !ok {
				p[k] = v
			}
		}
		if nv, ok := p["navne"].([]any); ok && len(nv) > 0 {
			p["navn"] = nv[0] // the private service's single name
		}
		p["statusdatousikkerhedsmarkering"] = false
		return p
	}
	anders := name("Anders", "", "And", "1934-06-09T00:00:00.000000+01:00")
	return []person{
		with(person{
			"id": personID(1), "personnummer": syntheticCPR[0], "status": "01", "statusdato": "1934-06-09T00:00:00.000000+01:00",
			"foedselsdato": "1934-06-09", "koen": "M",
			"personnumre":        numbers(syntheticCPR[0], "1968-04-02T00:00:00.000000+01:00"),
			"navne":              []any{anders},
			"adresseoplysninger": address("101", "København", "111", "Paradisæblevej", "11", "1000", "København K"),
			"beskyttelser":       protections(""),
			"civilstande":        []any{map[string]any{"civilstandstype": "U", "status": "aktuel", "virkningfra": "1952-01-01T00:00:00.000000+01:00", "virkningtil": nil}},
			"statsborgerskaber":  citizen("1934-06-09T00:00:00.000000+01:00"),
			"boern":              []any{map[string]any{"virkningfra": "1964-07-12T00:00:00.000000+01:00", "virkningfrausikkerhedsmarkering": false, "barn": rip}},
			"foraeldreoplysninger": []any{
				map[string]any{"virkningfra": "1934-06-09T00:00:00.000000+01:00", "virkningfrausikkerhedsmarkering": false, "foraelderrolle": "mor",
					"foraelder": simpel(6, syntheticCPR[5], name("Hortensia", "", "And", "1910-01-01T00:00:00.000000+01:00"), ""), "foraelderUdenCpr": nil, "ikkeValidRelationsForaelder": nil},
				map[string]any{"virkningfra": "1934-06-09T00:00:00.000000+01:00", "virkningfrausikkerhedsmarkering": false, "foraelderrolle": "far", "foraelder": nil,
					"foraelderUdenCpr":            map[string]any{"personid": personID(7), "navn": "Fætter And", "navnemarkering": nil, "foedselsdato": "1908-05-05", "foedselsdatousikkerhedsmarkering": true},
					"ikkeValidRelationsForaelder": nil},
			},
		}),
		with(person{
			"id": personID(2), "personnummer": syntheticCPR[1], "status": "01", "statusdato": "1934-01-01T00:00:00.000000+01:00",
			"foedselsdato": "1934-01-01", "koen": "K",
			"personnumre":          numbers(syntheticCPR[1], "1968-04-02T00:00:00.000000+01:00"),
			"navne":                []any{name("Andersine", "", "And", "1934-01-01T00:00:00.000000+01:00")},
			"adresseoplysninger":   address("101", "København", "111", "Paradisæblevej", "11", "1000", "København K"),
			"beskyttelser":         protections("Navne- og adressebeskyttelse"),
			"civilstande":          []any{},
			"statsborgerskaber":    citizen("1934-01-01T00:00:00.000000+01:00"),
			"boern":                []any{map[string]any{"virkningfra": "1964-07-12T00:00:00.000000+01:00", "virkningfrausikkerhedsmarkering": false, "barn": rip}},
			"foraeldreoplysninger": []any{},
		}),
		with(person{
			"id": personID(4), "personnummer": syntheticCPR[3], "status": "01", "statusdato": "1990-06-15T00:00:00.000000+02:00",
			"foedselsdato": "1990-06-15", "koen": "K",
			"personnumre":        numbers(syntheticCPR[3], "1990-06-15T00:00:00.000000+02:00"),
			"navne":              []any{name("Testa", "Maria", "Jensen", "1990-06-15T00:00:00.000000+02:00")},
			"adresseoplysninger": address("751", "Aarhus", "2340", "Testvej", "3", "8000", "Aarhus C"),
			"beskyttelser":       protections("Markedsføringsbeskyttelse"),
			"civilstande":        []any{},
			"statsborgerskaber":  citizen("1990-06-15T00:00:00.000000+02:00"),
			"boern":              []any{},
			"foraeldreoplysninger": []any{map[string]any{"virkningfra": "1990-06-15T00:00:00.000000+02:00", "virkningfrausikkerhedsmarkering": false, "foraelderrolle": "mor",
				"foraelder": mor, "foraelderUdenCpr": nil, "ikkeValidRelationsForaelder": nil}},
		}),
	}
}

// eventActions are the platform's: insert, update, delete (C, platform
// page 219514361).
var eventActions = []string{"i", "u", "d"}

// events are synthetic CPR business events, with the fields the
// platform's events page lists.
func events(n int) []map[string]any {
	out := make([]map[string]any, 0, n)
	ids := []int{1, 2, 4}
	for i := 1; i <= n; i++ {
		out = append(out, map[string]any{
			"datafordelerOpdateringstid": "2026-11-25T06:00:00.000000+01:00", "datafordelerRegisterImportSequenceNumber": 1000 + i,
			"entityname": "Cprhaendelse", "eventaction": eventActions[i%3], "eventid": i, "fromfailedimport": false,
			"object_id": personID(ids[i%len(ids)]), "object_datafordelerRowId": fmt.Sprintf("9e1c0a2b-0000-4000-8000-%012d", i), "object_datafordelerRowVersion": i,
			"object_kommunekodenuvaerende": "0101", "object_kommunekodetidligere": "0101",
			"object_registreringfra": "2026-11-25T05:59:00.000000+01:00", "object_registreringtil": nil, "object_status": "aktuel",
			"object_virkningfra": "2026-11-25T00:00:00.000000+01:00", "object_virkningtil": nil,
		})
	}
	return out
}

// eventCount is how many events the emulator holds.
const eventCount = 25

// importStatus is DAF_RegisterImportStatus: a root object, up to which
// sequence number events may be processed.
func importStatus() map[string]any {
	last := events(eventCount)[eventCount-1]
	return map[string]any{"lastSequenceNumber": last["datafordelerRegisterImportSequenceNumber"], "lastEventId": last["eventid"], "lastUpdated": last["datafordelerOpdateringstid"]}
}

// administrativeUnits are a few synthetic units (the public service's
// cprland shape).
func administrativeUnits() []any {
	land := map[string]any{"typeKode": "LAND", "typeNavn": "Land"}
	kommune := map[string]any{"typeKode": "KOMMUNE", "typeNavn": "Kommune"}
	return []any{
		map[string]any{"kode": "5100", "navn": "Danmark", "landekode": "DK", "typekode": land["typeKode"], "datafordelerRowId": "7d7f6f3e-5100-4c1a-9b1e-000000005100", "datafordelerRowVersion": 1, "datafordelerOpdateringstid": "2026-01-05T08:00:00Z", "datafordelerRegisterImportSequenceNumber": 41000},
		map[string]any{"kode": "0101", "navn": "København", "landekode": "DK", "typekode": kommune["typeKode"], "datafordelerRowId": "7d7f6f3e-0101-4c1a-9b1e-000000000101", "datafordelerRowVersion": 1, "datafordelerOpdateringstid": "2026-01-05T08:00:00Z", "datafordelerRegisterImportSequenceNumber": 41000},
	}
}

// fileDownloads lists CPR files in the shape of the platform's recorded
// list (CVR, 2026-10-10, bergholdt/cvrvaelger: ASCII entity names, the
// register's data version as a string, frequency, pointInTime (null for
// anything but a point-in-time file), generationTime and
// registerImportSequenceNumber). Addresses are also split per
// municipality, as DAR's files are (platform.ConvFileSplit). The CPR
// values are inferred [I]: no CPR list has been recorded.
func fileDownloads(entities []string) []map[string]any {
	var out []map[string]any
	file := func(name, kommune string, g int, data string) map[string]any {
		split, muni := "", any(nil)
		if kommune != "" {
			split, muni = "_"+kommune, kommune
		}
		return map[string]any{
			"fileName": "CPR_V1_" + name + split + "_TotalDownload_json_" + data + "_" + fmt.Sprint(g) + ".zip", "register": "CPR", "entityName": name,
			"typeOfDownload": "TotalDownload", "typeOfData": data, "containedFileFormat": "json", "outputFileFormat": "zip",
			"md5Hash": "d41d8cd98f00b204e9800998ecf8427e", "fileSizeInBytes": 1048576, "expirationDate": "2026-12-25T00:00:00Z",
			"municipalityCode": muni, "generationNumber": g, "version": "1",
			"frequency": "Daily", "pointInTime": nil, "generationTime": "2026-11-25T02:00:00Z", "registerImportSequenceNumber": 41000 + g,
		}
	}
	for _, e := range entities {
		name := asciiName(e)
		for g, data := range []string{"Current", "Bitemporal"} {
			out = append(out, file(name, "", g+1, data))
		}
		if name == "CprAdresse" {
			for _, kommune := range []string{"0101", "0751"} {
				out = append(out, file(name, kommune, 1, "Current"))
			}
		}
	}
	return out
}

func asciiName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case 'æ':
			out = append(out, 'a', 'e')
		case 'ø':
			out = append(out, 'o', 'e')
		case 'å':
			out = append(out, 'a', 'a')
		default:
			out = append(out, r)
		}
	}
	return string(out)
}
