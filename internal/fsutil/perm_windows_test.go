package fsutil

import (
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// shareWithOthers adds an entry that lets BUILTIN\Users read the file, as
// a file in a shared folder inherits.
func shareWithOthers(t *testing.T, path string) {
	t.Helper()
	users, err := windows.CreateWellKnownSid(windows.WinBuiltinUsersSid)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	old, _, err := sd.DACL()
	if err != nil {
		t.Fatal(err)
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.FILE_GENERIC_READ,
		AccessMode:        windows.GRANT_ACCESS,
		Inheritance:       windows.NO_INHERITANCE,
		Trustee:           windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeType: windows.TRUSTEE_IS_WELL_KNOWN_GROUP, TrusteeValue: windows.TrusteeValueFromSID(users)},
	}}, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION, nil, nil, acl, nil); err != nil {
		t.Fatal(err)
	}
}

func wantSharedFinding(t *testing.T, pv Privacy) {
	t.Helper()
	names, _ := pv.Evidence["readable_by"].([]string)
	if len(names) != 1 || !strings.Contains(pv.Readers, names[0]) || !strings.Contains(pv.Fix, "icacls") || !strings.Contains(pv.Fix, "/remove *S-1-5-32-545") {
		t.Fatalf("%+v", pv)
	}
}

// A file cprready writes has a protected ACL (nothing inherited) with one
// entry: the current user.
func TestWrittenFileHasOwnerOnlyACL(t *testing.T) {
	p := t.TempDir() + `\report.json`
	if err := WriteFileAtomic(p, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	sd, err := windows.GetNamedSecurityInfo(p, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	control, _, err := sd.Control()
	if err != nil || control&windows.SE_DACL_PROTECTED == 0 {
		t.Fatalf("the DACL inherits (control %#x, %v)", control, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil || dacl.AceCount != 1 {
		t.Fatalf("want one entry, got %v (%v)", dacl, err)
	}
	var ace *windows.ACCESS_ALLOWED_ACE
	if err := windows.GetAce(dacl, 0, &ace); err != nil {
		t.Fatal(err)
	}
	me, err := currentUser()
	if err != nil {
		t.Fatal(err)
	}
	if sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart)); !sid.Equals(me) || ace.Mask&windows.FILE_READ_DATA == 0 {
		t.Fatalf("the entry is for %s with mask %#x, want %s", sid, ace.Mask, me)
	}
}
