package profile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// ErrNoKeyring means no OS keyring answered (headless Linux, WSL, CI).
var ErrNoKeyring = errors.New("no OS keyring is reachable")

// KeyringTimeout bounds every keyring call: a locked or absent keyring
// daemon must never hang the tool.
const KeyringTimeout = 3 * time.Second

// OSKeyringGet reads SERVICE/ACCOUNT from the OS keyring within ctx.
func OSKeyringGet(ctx context.Context, service, account string) (string, error) {
	type res struct {
		v   string
		err error
	}
	ch := make(chan res, 1)
	go func() {
		v, err := keyring.Get(service, account)
		ch <- res{v, err}
	}()
	select {
	case r := <-ch:
		if errors.Is(r.err, keyring.ErrNotFound) {
			return "", fmt.Errorf("no entry %s/%s in the OS keyring", service, account)
		}
		if r.err != nil {
			return "", fmt.Errorf("%w (%w)", ErrNoKeyring, r.err)
		}
		return r.v, nil
	case <-ctx.Done():
		return "", fmt.Errorf("%w: the keyring did not answer in time", ErrNoKeyring)
	}
}

// OSKeyringSet stores a secret in the OS keyring within the timeout.
func OSKeyringSet(ctx context.Context, service, account, value string) error {
	ctx, cancel := context.WithTimeout(ctx, KeyringTimeout)
	defer cancel()
	ch := make(chan error, 1)
	go func() { ch <- keyring.Set(service, account, value) }()
	select {
	case err := <-ch:
		if err != nil {
			return fmt.Errorf("%w (%w)", ErrNoKeyring, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: the keyring did not answer in time", ErrNoKeyring)
	}
}

// KeyringAvailable probes the keyring with a harmless read.
func KeyringAvailable(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, KeyringTimeout)
	defer cancel()
	_, err := OSKeyringGet(ctx, "cprready-probe", "probe")
	return err == nil || !errors.Is(err, ErrNoKeyring)
}

// DefaultResolver resolves references the way the CLI does: environment,
// files relative to the profile, and the OS keyring with a timeout.
func DefaultResolver(p *Profile) Resolver {
	return Resolver{BaseDir: p.Dir(), Keyring: OSKeyringGet, Timeout: KeyringTimeout}
}
