package main

import (
	"golang.org/x/sys/windows"

	"github.com/cprready/cprready/internal/fsutil"
)

// permOf says what Windows' ACL means in mode bits: "600" when the file
// is private to its owner, "644" when others can read it.
func permOf(path string) (string, error) {
	pv, err := fsutil.CheckPrivate(path)
	if err != nil {
		return "", err
	}
	if pv.Private {
		return "600", nil
	}
	return "644", nil
}

// shareWithOthers adds an entry that lets BUILTIN\Users read the file, as
// a file in a shared folder inherits.
func shareWithOthers(path string) error {
	users, err := windows.CreateWellKnownSid(windows.WinBuiltinUsersSid)
	if err != nil {
		return err
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return err
	}
	old, _, err := sd.DACL()
	if err != nil {
		return err
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: windows.FILE_GENERIC_READ,
		AccessMode:        windows.GRANT_ACCESS,
		Inheritance:       windows.NO_INHERITANCE,
		Trustee:           windows.TRUSTEE{TrusteeForm: windows.TRUSTEE_IS_SID, TrusteeType: windows.TRUSTEE_IS_WELL_KNOWN_GROUP, TrusteeValue: windows.TrusteeValueFromSID(users)},
	}}, old)
	if err != nil {
		return err
	}
	return windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
}
