package profile

// zeroDevice is Windows' null device: a device, not a file.
const zeroDevice = "NUL"
