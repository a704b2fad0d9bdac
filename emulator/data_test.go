package emulator

import "testing"

// cprValid is the CPR modulus-11 check (weights 4,3,2,7,6,5,4,3,2,1).
func cprValid(s string) bool {
	w := []int{4, 3, 2, 7, 6, 5, 4, 3, 2, 1}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	return sum%11 == 0
}

// No synthetic person may carry a CPR number that passes the check.
func TestSyntheticCPRNumbersAreNotValid(t *testing.T) {
	for _, n := range syntheticCPR {
		if len(n) != 10 || cprValid(n) {
			t.Errorf("%s passes the CPR modulus-11 check; pick another", n)
		}
	}
	if !cprValid("0707614285") { // a textbook-valid shape, so the check itself works
		t.Skip("reference number not valid; check weights")
	}
}
