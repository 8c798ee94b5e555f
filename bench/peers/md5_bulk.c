/* Bulk MD5 over an Arrow string column, for the Polars peer (md5_bulk.py).
 *
 * The peer builds its draw keys with Polars expressions and hands the whole
 * key column to one of these functions through ctypes: the Arrow offsets
 * buffer (int32 or int64), the data buffer, and an output buffer. Each key
 * is hashed with libnettle's MD5; wfp_md5_x stores the first four digest
 * bytes read big-endian (docs/model.md 1), wfp_md5_hex the 32 lower-hex
 * characters of the digest (event ids, docs/model.md 5.1; wfp_hex_offsets makes
 * the matching offsets buffer). No Python runs per
 * key. `flags` bit 0 says the offsets are 64-bit; the remaining bits hold
 * the array's element offset into the offsets buffer.
 */
#include <stdint.h>
#include <nettle/md5.h>

void wfp_md5_x(int64_t n, const void *offsets, int64_t flags, const uint8_t *data, uint32_t *out);
void wfp_md5_hex(int64_t n, const void *offsets, int64_t flags, const uint8_t *data, char *out);
void wfp_hex_offsets(int64_t n, int64_t *out);

/* The MD5 digest of key i into d. `flags` as above. */
static void digest_of(const void *offsets, int64_t flags, const uint8_t *data, int64_t i,
                      uint8_t d[MD5_DIGEST_SIZE])
{
    int64_t base = flags >> 1, lo, hi;
    if (flags & 1) {
        const int64_t *o = offsets;
        lo = o[base + i];
        hi = o[base + i + 1];
    } else {
        const int32_t *o = offsets;
        lo = o[base + i];
        hi = o[base + i + 1];
    }
    struct md5_ctx ctx;
    md5_init(&ctx);
    md5_update(&ctx, (size_t)(hi - lo), data + lo);
    md5_digest(&ctx, MD5_DIGEST_SIZE, d);
}

void wfp_md5_x(int64_t n, const void *offsets, int64_t flags, const uint8_t *data, uint32_t *out)
{
    uint8_t d[MD5_DIGEST_SIZE];
    for (int64_t i = 0; i < n; i++) {
        digest_of(offsets, flags, data, i, d);
        out[i] = ((uint32_t)d[0] << 24) | ((uint32_t)d[1] << 16) | ((uint32_t)d[2] << 8) | d[3];
    }
}

void wfp_md5_hex(int64_t n, const void *offsets, int64_t flags, const uint8_t *data, char *out)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t d[MD5_DIGEST_SIZE];
    for (int64_t i = 0; i < n; i++) {
        digest_of(offsets, flags, data, i, d);
        for (int j = 0; j < MD5_DIGEST_SIZE; j++) {
            out[32 * i + 2 * j] = hex[d[j] >> 4];
            out[32 * i + 2 * j + 1] = hex[d[j] & 15];
        }
    }
}

/* Offsets 0, 32, 64, ... 32n of the large-string array wfp_md5_hex fills. */
void wfp_hex_offsets(int64_t n, int64_t *out)
{
    for (int64_t i = 0; i <= n; i++)
        out[i] = 32 * i;
}
