package fsutil

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// PrivateNote says, for messages and help, how the files cprready writes
// are protected: Windows has no mode bits, so it is an access-control list.
const PrivateNote = "readable by you only (owner-only ACL)"

// fileAllAccess is FILE_ALL_ACCESS (winnt.h): every right on a file.
const fileAllAccess = windows.STANDARD_RIGHTS_REQUIRED | windows.SYNCHRONIZE | 0x1ff

// RestrictToOwner gives f a protected access-control list that lets the
// current user alone open it: nothing is inherited from the folder (where
// BUILTIN\Users may read). A file system without ACLs (FAT, some network
// shares) is left as it is: there is nothing to restrict there.
func RestrictToOwner(f *os.File) error {
	me, err := currentUser()
	if err != nil {
		return fmt.Errorf("cannot restrict %s to its owner: %w", f.Name(), err)
	}
	acl, err := windows.ACLFromEntries([]windows.EXPLICIT_ACCESS{{
		AccessPermissions: fileAllAccess,
		AccessMode:        windows.GRANT_ACCESS,
		Inheritance:       windows.NO_INHERITANCE,
		Trustee: windows.TRUSTEE{
			TrusteeForm:  windows.TRUSTEE_IS_SID,
			TrusteeType:  windows.TRUSTEE_IS_USER,
			TrusteeValue: windows.TrusteeValueFromSID(me),
		},
	}}, nil)
	if err != nil {
		return fmt.Errorf("cannot restrict %s to its owner: %w", f.Name(), err)
	}
	err = windows.SetNamedSecurityInfo(f.Name(), windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, acl, nil)
	if errors.Is(err, windows.ERROR_NOT_SUPPORTED) || errors.Is(err, windows.ERROR_INVALID_FUNCTION) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot restrict %s to its owner: %w", f.Name(), err)
	}
	return nil
}

// CheckPrivate reads the file's access-control list: who, besides its
// owner, you, SYSTEM and the Administrators (who can take any file), may
// read it.
func CheckPrivate(path string) (Privacy, error) {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return Privacy{}, fmt.Errorf("cannot read the access-control list of %s: %w", path, err)
	}
	dacl, _, err := sd.DACL()
	if errors.Is(err, windows.ERROR_OBJECT_NOT_FOUND) || dacl == nil {
		// No DACL at all: everyone has every right.
		return Privacy{
			Readers:  "everyone (the file has no access-control list)",
			Fix:      icaclsFix(path, nil),
			Evidence: map[string]any{"readable_by": []string{"everyone"}},
		}, nil
	}
	if err != nil {
		return Privacy{}, fmt.Errorf("cannot read the access-control list of %s: %w", path, err)
	}
	trusted := trustedSIDs(sd)
	var names, sids []string
	for i := range uint32(dacl.AceCount) {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return Privacy{}, fmt.Errorf("cannot read the access-control list of %s: %w", path, err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0 || !readsData(ace.Mask) {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart)) // #nosec G103 -- the SID starts at SidStart (winnt.h ACCESS_ALLOWED_ACE)
		if isTrusted(sid, trusted) {
			continue
		}
		names = append(names, accountName(sid))
		sids = append(sids, sid.String())
	}
	if len(names) == 0 {
		return Privacy{Private: true}, nil
	}
	return Privacy{
		Readers:  strings.Join(names, ", ") + " (its access-control list)",
		Fix:      icaclsFix(path, sids),
		Evidence: map[string]any{"readable_by": names},
	}, nil
}

// readsData reports whether an access mask lets its holder read the
// file's content.
func readsData(m windows.ACCESS_MASK) bool {
	return m&(windows.FILE_READ_DATA|windows.GENERIC_READ|windows.GENERIC_ALL|windows.MAXIMUM_ALLOWED) != 0
}

// trustedSIDs are those that may read a private file: the file's owner,
// the current user, OWNER RIGHTS, SYSTEM and the Administrators.
func trustedSIDs(sd *windows.SECURITY_DESCRIPTOR) []*windows.SID {
	var t []*windows.SID
	if owner, _, err := sd.Owner(); err == nil && owner != nil {
		t = append(t, owner)
	}
	if me, err := currentUser(); err == nil {
		t = append(t, me)
	}
	for _, k := range []windows.WELL_KNOWN_SID_TYPE{windows.WinLocalSystemSid, windows.WinBuiltinAdministratorsSid, windows.WinCreatorOwnerRightsSid} {
		if s, err := windows.CreateWellKnownSid(k); err == nil {
			t = append(t, s)
		}
	}
	return t
}

func isTrusted(sid *windows.SID, trusted []*windows.SID) bool {
	for _, t := range trusted {
		if sid.Equals(t) {
			return true
		}
	}
	return false
}

// accountName is DOMAIN\name for a SID, or the SID itself.
func accountName(sid *windows.SID) string {
	account, domain, _, err := sid.LookupAccount("")
	switch {
	case err != nil || account == "":
		return sid.String()
	case domain == "":
		return account
	}
	return domain + `\` + account
}

// currentUser is the SID of the user this process runs as.
func currentUser() (*windows.SID, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, err
	}
	return u.User.Sid.Copy()
}

// icaclsFix is the command (cmd.exe or PowerShell) that leaves the file to
// the current user alone: no inherited entries, full control for you, and
// the other readers' own entries removed. Accounts are named by SID, which
// icacls reads in any language of Windows and for domain users alike.
func icaclsFix(path string, others []string) string {
	me := "%USERNAME%"
	if sid, err := currentUser(); err == nil {
		me = "*" + sid.String()
	}
	cmd := fmt.Sprintf(`icacls "%s" /inheritance:r /grant:r %s:F`, path, me)
	for _, s := range others {
		cmd += " /remove *" + s
	}
	return "Run: " + cmd
}
