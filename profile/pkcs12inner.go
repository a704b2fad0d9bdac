package profile

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1" // #nosec G505 -- PBKDF2's default PRF in PKCS#5, needed to read old files
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"hash"
)

// A PKCS#12 file may hide a key bag inside an encrypted safe: its key
// derivation is invisible until the safe is decrypted, which go-pkcs12
// does without a bound. For safes encrypted with PBES2 (PBKDF2 and AES:
// what OpenSSL 3 writes), innerKDFCounts decrypts them first, with the
// outer parameters already checked, and returns the iteration counts
// inside. Safes in other schemes are left to MaxDecodeTime.

var (
	oidEncryptedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidPBES2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidHMACSHA1      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA512    = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	aesKeyLen        = map[string]int{"2.16.840.1.101.3.4.1.2": 16, "2.16.840.1.101.3.4.1.22": 24, "2.16.840.1.101.3.4.1.42": 32}
)

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type encryptedData struct {
	Version int
	Content struct {
		ContentType asn1.ObjectIdentifier
		Algorithm   algorithmID
		Encrypted   asn1.RawValue `asn1:"tag:0,optional"`
	}
}

type algorithmID struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type pbes2Params struct {
	KDF    algorithmID
	Scheme algorithmID
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int         `asn1:"optional"`
	PRF        algorithmID `asn1:"optional"`
}

// innerKDFCounts returns the KDF iteration counts inside the file's
// PBES2-encrypted safes (none when it has none, or cannot be read here).
func innerKDFCounts(authSafe asn1.RawValue, password string) []int {
	var outer contentInfo
	if _, err := asn1.Unmarshal(authSafe.FullBytes, &outer); err != nil {
		return nil
	}
	var octets []byte
	if _, err := asn1.Unmarshal(outer.Content.Bytes, &octets); err != nil {
		return nil
	}
	var safes []contentInfo
	if _, err := asn1.Unmarshal(octets, &safes); err != nil {
		return nil
	}
	var counts []int
	for _, ci := range safes {
		if !ci.ContentType.Equal(oidEncryptedData) {
			continue
		}
		var ed encryptedData
		if _, err := asn1.Unmarshal(ci.Content.Bytes, &ed); err != nil {
			continue
		}
		plain := decryptPBES2(ed.Content.Algorithm, ed.Content.Encrypted.Bytes, password)
		if plain == nil {
			continue
		}
		w := &kdfWalk{budget: 1 << 16}
		w.walk(plain, 0)
		counts = append(counts, w.counts...)
	}
	return counts
}

// decryptPBES2 decrypts PBES2 (PBKDF2, AES-CBC) content, or returns nil.
// The caller has checked the PBKDF2 iteration count already.
func decryptPBES2(alg algorithmID, data []byte, password string) []byte {
	if !alg.Algorithm.Equal(oidPBES2) {
		return nil
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(alg.Parameters.FullBytes, &params); err != nil || !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil
	}
	var kp pbkdf2Params
	if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kp); err != nil || kp.Iterations < 1 || kp.Iterations > MaxPKCS12Iterations {
		return nil
	}
	keyLen, ok := aesKeyLen[params.Scheme.Algorithm.String()]
	if !ok {
		return nil
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Scheme.Parameters.FullBytes, &iv); err != nil || len(iv) != aes.BlockSize || len(data)%aes.BlockSize != 0 || len(data) == 0 {
		return nil
	}
	var prf func() hash.Hash
	switch {
	case len(kp.PRF.Algorithm) == 0 || kp.PRF.Algorithm.Equal(oidHMACSHA1):
		prf = sha1.New
	case kp.PRF.Algorithm.Equal(oidHMACSHA256):
		prf = sha256.New
	case kp.PRF.Algorithm.Equal(oidHMACSHA512):
		prf = sha512.New
	default:
		return nil
	}
	key, err := pbkdf2.Key(prf, password, kp.Salt, kp.Iterations, keyLen)
	if err != nil {
		return nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, data)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > aes.BlockSize || pad > len(plain) {
		return nil // a wrong password: go-pkcs12 will say so
	}
	return plain[:len(plain)-pad]
}
