package emulator

// Synthetic persons. Their CPR numbers fail the CPR modulus-11 check, so
// they can never be real people's (a test proves it).

type person map[string]any

func protections(kind string) []any {
	if kind == "" {
		return []any{}
	}
	return []any{map[string]any{"beskyttelsestype": kind, "status": "aktuel", "virkningfra": "2020-01-01T00:00:00Z", "virkningtil": nil}}
}

func address(kommune, vej, vejnavn, husnr, postnr, by string) []any {
	return []any{map[string]any{
		"status": "Aktuel", "virkningfra": "2015-03-01T00:00:00Z", "virkningtil": nil,
		"cprAdresse": map[string]any{
			"cprkommunekode": kommune, "cprkommunenavn": "København", "cprvejkode": vej, "vejadresseringsnavn": vejnavn,
			"husnummer": husnr, "etage": "st", "sidedoer": "tv", "postnummer": postnr, "postdistrikt": by,
		},
	}}
}

func names(first, middle, last string) []any {
	return []any{map[string]any{
		"adresseringsnavn": last + "," + first, "fornavn": first, "fornavne": first, "mellemnavn": middle, "efternavn": last,
		"status": "aktuel", "virkningfra": "1934-06-09T00:00:00Z", "virkningtil": nil,
	}}
}

// CPR numbers used; see TestSyntheticCPRNumbersAreNotValid.
var syntheticCPR = []string{"0906341234", "0101341235", "1207641236", "1506901237", "0203851238"}

func persons() []person {
	andersNavne := names("Anders", "", "And")
	return []person{
		{
			"id": "4c4a5f0e-0000-4000-8000-000000000001", "personnummer": syntheticCPR[0], "status": "01", "statusdato": "1934-06-09T00:00:00Z",
			"foedselsdato": "1934-06-09", "koen": "M",
			"personnumre":        []any{map[string]any{"personnummer": syntheticCPR[0], "status": "aktuel", "virkningfra": "1968-04-02T00:00:00Z", "virkningtil": nil}},
			"navne":              andersNavne,
			"navn":               andersNavne[0],
			"adresseoplysninger": address("101", "111", "Paradisæblevej", "11", "1000", "København K"),
			"beskyttelser":       protections(""),
			"civilstande":        []any{map[string]any{"civilstandstype": "U", "status": "aktuel", "virkningfra": "1952-01-01T00:00:00Z", "virkningtil": nil}},
			"statsborgerskaber":  []any{map[string]any{"landekode": "5100", "status": "aktuel", "virkningfra": "1934-06-09T00:00:00Z", "virkningtil": nil}},
			"boern": []any{
				map[string]any{"id": "4c4a5f0e-0000-4000-8000-000000000003", "personnummer": syntheticCPR[2], "foedselsdato": "1964-07-12", "navne": names("Rip", "", "And"), "beskyttelser": protections("")},
			},
			"foraeldreoplysninger": []any{},
			"vaergemaal":           []any{}, "udrejseIndrejser": []any{}, "forsvindinger": []any{},
			"udrejseIndrejse": []any{}, "forsvinding": []any{}, "vaergemaalPrivat": []any{},
			"kontaktadresse": nil, "statusdatousikkerhedsmarkering": false,
		},
		{
			"id": "4c4a5f0e-0000-4000-8000-000000000002", "personnummer": syntheticCPR[1], "status": "01", "statusdato": "1934-01-01T00:00:00Z",
			"foedselsdato": "1934-01-01", "koen": "K",
			"personnumre":        []any{map[string]any{"personnummer": syntheticCPR[1], "status": "aktuel", "virkningfra": "1968-04-02T00:00:00Z", "virkningtil": nil}},
			"navne":              names("Andersine", "", "And"),
			"navn":               names("Andersine", "", "And")[0],
			"adresseoplysninger": address("101", "111", "Paradisæblevej", "11", "1000", "København K"),
			"beskyttelser":       protections("Navne- og adressebeskyttelse"),
			"civilstande":        []any{}, "statsborgerskaber": []any{}, "boern": []any{}, "foraeldreoplysninger": []any{},
			"vaergemaal": []any{}, "udrejseIndrejser": []any{}, "forsvindinger": []any{},
			"udrejseIndrejse": []any{}, "forsvinding": []any{},
			"kontaktadresse": nil, "statusdatousikkerhedsmarkering": false,
		},
		{
			"id": "4c4a5f0e-0000-4000-8000-000000000004", "personnummer": syntheticCPR[3], "status": "01", "statusdato": "1990-06-15T00:00:00Z",
			"foedselsdato": "1990-06-15", "koen": "K",
			"personnumre":        []any{map[string]any{"personnummer": syntheticCPR[3], "status": "aktuel", "virkningfra": "1990-06-15T00:00:00Z", "virkningtil": nil}},
			"navne":              names("Testa", "Maria", "Jensen"),
			"navn":               names("Testa", "Maria", "Jensen")[0],
			"adresseoplysninger": address("751", "2340", "Testvej", "3", "8000", "Aarhus C"),
			"beskyttelser":       protections("Markedsføringsbeskyttelse"),
			"civilstande":        []any{}, "statsborgerskaber": []any{}, "boern": []any{},
			"foraeldreoplysninger": []any{map[string]any{"foraelderrolle": "mor", "status": "aktuel", "person": map[string]any{"id": "4c4a5f0e-0000-4000-8000-000000000005", "personnummer": syntheticCPR[4], "foedselsdato": "1985-03-02", "navne": names("Mette", "", "Jensen"), "beskyttelser": protections("")}}},
			"vaergemaal":           []any{}, "udrejseIndrejser": []any{}, "forsvindinger": []any{},
			"udrejseIndrejse": []any{}, "forsvinding": []any{},
			"kontaktadresse": nil, "statusdatousikkerhedsmarkering": false,
		},
	}
}

// events are synthetic CPR business events.
func events(n int) []map[string]any {
	out := make([]map[string]any, 0, n)
	ids := []string{"4c4a5f0e-0000-4000-8000-000000000001", "4c4a5f0e-0000-4000-8000-000000000002", "4c4a5f0e-0000-4000-8000-000000000004"}
	for i := 1; i <= n; i++ {
		out = append(out, map[string]any{
			"datafordelerOpdateringstid": "2026-11-25T06:00:00Z", "datafordelerRegisterImportSequenceNumber": 1000 + i,
			"entityname": "Cprhaendelse", "eventaction": "Opdateret", "eventid": i, "fromfailedimport": false,
			"object_id": ids[i%len(ids)], "object_kommunekodenuvaerende": "0101", "object_kommunekodetidligere": "0101",
			"object_registreringfra": "2026-11-25T05:59:00Z", "object_registreringtil": nil, "object_status": "01",
			"object_virkningfra": "2026-11-25T00:00:00Z", "object_virkningtil": nil,
		})
	}
	return out
}

// fileDownloads lists the synthetic CPR files for the given entities.
func fileDownloads(entities []string) []map[string]any {
	var out []map[string]any
	for _, e := range entities {
		for _, kind := range []string{"TotalDownload", "DeltaDownload"} {
			out = append(out, map[string]any{
				"fileName": "CPR_" + asciiName(e) + "_" + kind + "_20261125.zip", "register": "CPR", "entityName": e,
				"typeOfDownload": kind, "typeOfData": "Current", "containedFileFormat": "json", "outputFileFormat": "zip",
				"md5Hash": "d41d8cd98f00b204e9800998ecf8427e", "fileSizeInBytes": 1048576, "expirationDate": "2026-12-25T00:00:00Z",
			})
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
