#include "CZlib.h"
#include <string.h>
#include <zlib.h>

int czlib_gzip(const unsigned char *input, size_t inputLength, unsigned char *output, size_t *outputLength, int level) {
    z_stream s;
    memset(&s, 0, sizeof s);
    // 15 + 16: a 32 KiB window with the gzip header and trailer instead of zlib's.
    int rc = deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) return rc < 0 ? rc : -1;
    s.next_in = (Bytef *)input;
    s.avail_in = (uInt)inputLength;
    s.next_out = output;
    s.avail_out = (uInt)*outputLength;
    rc = deflate(&s, Z_FINISH);
    *outputLength = (size_t)s.total_out;
    deflateEnd(&s);
    if (rc == Z_STREAM_END) return 0;
    return rc == Z_OK || rc == Z_BUF_ERROR ? 1 : (rc < 0 ? rc : -1);
}

size_t czlib_gzip_bound(size_t inputLength) {
    // compressBound covers the zlib wrapper (6 bytes); gzip's is 18.
    return (size_t)compressBound((uLong)inputLength) + 32;
}
