// zlib's deflate behind two plain functions: its init macros cannot be called from Swift.
#ifndef CZLIB_H
#define CZLIB_H

#include <stddef.h>

/// Compresses `input` into one gzip member (RFC 1952) in `output`, whose capacity is
/// `*outputLength`; on success returns 0 and sets `*outputLength` to the bytes written.
/// Returns a negative zlib code on failure, 1 when `output` was too small.
int czlib_gzip(const unsigned char *input, size_t inputLength, unsigned char *output, size_t *outputLength, int level);

/// An upper bound of the gzip member's size for `inputLength` bytes of input.
size_t czlib_gzip_bound(size_t inputLength);

#endif
