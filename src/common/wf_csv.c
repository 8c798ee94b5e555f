/*
 * wf_csv.c - see wf_csv.h.
 *
 * One pass over the buffer, byte by byte, with the line and character
 * column kept as running counters (unescaping a quoted field writes over
 * bytes already read, so positions cannot be recomputed afterwards). A
 * field's value is written back where it was read: an unquoted value stays
 * in place and gets a NUL where its trailing blanks or its delimiter were;
 * a quoted value is copied left over its opening quote and doubled quotes.
 * The buffer holds one byte more than the input so the last field always
 * has room for its NUL.
 */
#include "wf_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wf_error.h"

#define READ_BLOCK (1u << 20)  /* small enough to count in the cache */
/* Buffers from this size on are mapped on their own and marked for
 * transparent huge pages (2 MB): a 57 MB census read into 4 kB pages
 * costs 14,000 page faults, a third of its loading time. */
#define BIG_BUF (4u << 20)
#define HUGE_PAGE (2u << 20)

struct wf_csv {
    char *name;
    char *buf;          /* size + 1 bytes */
    size_t buf_map;     /* mapped length of buf, 0 when malloc'ed */
    size_t n_lf;        /* line feeds in the input, when lf_counted */
    bool lf_counted;
    size_t size, pos;
    long line, col;     /* position of buf[pos] */
    long record_line;
    size_t record_pos;  /* byte offset where that record starts */
    bool record_plain;  /* it was split by scan_fast */
    size_t expected;    /* header's field count; 0 before the header */
    wf_csv_field *fields;
    size_t cap;
};

static wf_status csv_new(const char *name, wf_csv **out, wf_error *err)
{
    wf_csv *c = calloc(1, sizeof *c);
    if (!c)
        return wf_error_nomem(err, "CSV reader");
    c->name = strdup(name ? name : "");
    if (!c->name) {
        free(c);
        return wf_error_nomem(err, "CSV reader");
    }
    c->line = 1;
    c->col = 1;
    *out = c;
    return WF_OK;
}

static void skip_bom(wf_csv *c)
{
    if (c->size >= 3 && (unsigned char)c->buf[0] == 0xEF &&
        (unsigned char)c->buf[1] == 0xBB && (unsigned char)c->buf[2] == 0xBF)
        c->pos = 3;
}

/* n bytes: malloc'ed (*map = 0) or, when big, mapped (*map its length). */
static char *buf_alloc(size_t n, size_t *map)
{
    *map = 0;
    if (n < BIG_BUF)
        return malloc(n);
    size_t len = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return malloc(n);
    madvise(p, len, MADV_HUGEPAGE);   /* advice only: failure changes nothing */
    *map = len;
    return p;
}

static void buf_free(char *b, size_t map)
{
    if (map)
        munmap(b, map);
    else
        free(b);
}

/* Line feeds in p[0..n), a word at a time (exact: the byte test below has
 * no false positives). */
static size_t count_lf(const char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
    const uint64_t lanes16 = 0x00FF00FF00FF00FFULL;
    size_t i = 0, count = 0;
    while (n - i >= 8) {
        uint64_t acc = 0;      /* per-byte counts, each < 256 */
        for (int k = 0; k < 255 && n - i >= 8; k++, i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            uint64_t x = w ^ (ones * '\n');
            uint64_t t = ((x & low7) + low7) | x;  /* high bit clear: a line feed */
            acc += (~t >> 7) & ones;
        }
        acc = (acc & lanes16) + ((acc >> 8) & lanes16);
        count += (size_t)((acc * 0x0001000100010001ULL) >> 48);
    }
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}

/* Reads the file into *buf, counting its line feeds into *n_lf block by
 * block while each is still in the cache. */
static wf_status read_all(int fd, const char *path, char **buf, size_t *map,
                          size_t *size, size_t *n_lf, wf_error *err)
{
    *n_lf = 0;
    struct stat st;
    size_t cap = 1u << 16, n = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (size_t)st.st_size + 1;
    char *b = buf_alloc(cap + 1, map);
    if (!b)
        return wf_error_nomem(err, path);
    for (;;) {
        if (n == cap) {        /* not a regular file, or it grew */
            size_t nmap;
            char *nb = buf_alloc(cap * 2 + 1, &nmap);
            if (!nb) {
                buf_free(b, *map);
                return wf_error_nomem(err, path);
            }
            memcpy(nb, b, n);
            buf_free(b, *map);
            b = nb;
            *map = nmap;
            cap *= 2;
        }
        size_t want = cap - n < READ_BLOCK ? cap - n : READ_BLOCK;
        ssize_t got = read(fd, b + n, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            buf_free(b, *map);
            return wf_error_errno(err, "read", path);
        }
        if (got == 0)
            break;
        *n_lf += count_lf(b + n, (size_t)got);
        n += (size_t)got;
    }
    b[n] = '\0';
    *buf = b;
    *size = n;
    return WF_OK;
}

wf_status wf_csv_open(const char *path, wf_csv **out, wf_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wf_error_errno(err, "open", path);
    wf_csv *c = NULL;
    wf_status st = csv_new(path, &c, err);
    if (st == WF_OK)
        st = read_all(fd, path, &c->buf, &c->buf_map, &c->size, &c->n_lf, err);
    c->lf_counted = st == WF_OK;
    close(fd);
    if (st != WF_OK) {
        wf_csv_close(c);
        return st;
    }
    skip_bom(c);
    *out = c;
    return WF_OK;
}

wf_status wf_csv_open_mem(const char *name, const char *data, size_t size,
                          wf_csv **out, wf_error *err)
{
    *out = NULL;
    wf_csv *c = NULL;
    wf_status st = csv_new(name, &c, err);
    if (st != WF_OK)
        return st;
    c->buf = malloc(size + 1);
    if (!c->buf) {
        wf_csv_close(c);
        return wf_error_nomem(err, name);
    }
    memcpy(c->buf, data, size);
    c->buf[size] = '\0';
    c->size = size;
    skip_bom(c);
    *out = c;
    return WF_OK;
}

void wf_csv_close(wf_csv *c)
{
    if (!c)
        return;
    free(c->name);
    buf_free(c->buf, c->buf_map);
    free(c->fields);
    free(c);
}

long wf_csv_record_line(const wf_csv *c)
{
    return c->record_line;
}

size_t wf_csv_record_offset(const wf_csv *c)
{
    return c->record_pos;
}

bool wf_csv_record_plain(const wf_csv *c)
{
    return c->record_plain;
}

void wf_csv_plain_fields(const wf_csv *c, size_t pos, long line, wf_csv_field *out,
                         size_t n)
{
    char *p = c->buf + pos;
    long col = 1;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(p);
        out[i] = (wf_csv_field){p, len, line, col, false};
        col += (long)len + 1;
        p += len + 1;
    }
}

const char *wf_csv_name(const wf_csv *c)
{
    return c->name;
}

size_t wf_csv_size(const wf_csv *c)
{
    return c->size;
}

size_t wf_csv_records_left(const wf_csv *c)
{
    size_t read_lf = (size_t)(c->line - 1);   /* every line feed read ends a line */
    if (c->lf_counted)
        return c->n_lf - read_lf + 1;
    return count_lf(c->buf + c->pos, c->size - c->pos) + 1;
}

static wf_status bad(wf_csv *c, wf_error *err, long line, long col,
                     const char *what)
{
    return wf_error_set(err, WF_EINPUT, c->name, line, col, "%s", what);
}

/* Length of the valid UTF-8 sequence at p (a non-ASCII lead byte), or 0. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
    unsigned char b = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        n = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        if (b == 0xE0)
            lo = 0xA0;
        if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        if (b == 0xF0)
            lo = 0x90;
        if (b == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

/* A byte that is neither ASCII text nor a delimiter: a checked UTF-8
 * sequence, copied to w (which may equal the read position). */
static wf_status take_utf8(wf_csv *c, size_t *w, wf_error *err)
{
    const unsigned char *p = (const unsigned char *)c->buf + c->pos;
    size_t n = utf8_len(p, c->size - c->pos);
    if (n == 0)
        return bad(c, err, c->line, c->col, "invalid UTF-8 byte sequence");
    memmove(c->buf + *w, p, n);
    *w += n;
    c->pos += n;
    c->col++;
    return WF_OK;
}

static wf_status scan_quoted(wf_csv *c, wf_csv_field *f, size_t *end,
                             wf_error *err)
{
    c->pos++;                  /* opening quote */
    c->col++;
    size_t w = c->pos;
    f->s = c->buf + w;
    for (;;) {
        if (c->pos >= c->size)
            return bad(c, err, f->line, f->column,
                       "unterminated quoted field (no closing '\"')");
        unsigned char b = (unsigned char)c->buf[c->pos];
        if (b == '"') {
            if (c->pos + 1 < c->size && c->buf[c->pos + 1] == '"') {
                c->buf[w++] = '"';
                c->pos += 2;
                c->col += 2;
                continue;
            }
            c->pos++;
            c->col++;
            break;
        }
        if (b == '\r' && !(c->pos + 1 < c->size && c->buf[c->pos + 1] == '\n'))
            return bad(c, err, c->line, c->col,
                       "carriage return not followed by a line feed");
        if (b == 0)
            return bad(c, err, c->line, c->col, "NUL byte in the file");
        if (b >= 0x80) {
            wf_status st = take_utf8(c, &w, err);
            if (st != WF_OK)
                return st;
            continue;
        }
        c->buf[w++] = (char)b;
        c->pos++;
        c->col++;
        if (b == '\n') {
            c->line++;
            c->col = 1;
        }
    }
    *end = w;
    while (c->pos < c->size && (c->buf[c->pos] == ' ' || c->buf[c->pos] == '\t')) {
        c->pos++;
        c->col++;
    }
    if (c->pos < c->size) {
        char t = c->buf[c->pos];
        if (t != ',' && t != '\n' && t != '\r')
            return bad(c, err, c->line, c->col,
                       "text after the closing quote of a quoted field "
                       "(expected ',' or the end of the line)");
    }
    return WF_OK;
}

static wf_status scan_plain(wf_csv *c, wf_csv_field *f, size_t *end,
                            wf_error *err)
{
    size_t w = c->pos, last = c->pos;  /* last: end of the last non-blank */
    f->s = c->buf + c->pos;
    while (c->pos < c->size) {
        unsigned char b = (unsigned char)c->buf[c->pos];
        if (b == ',' || b == '\n' || b == '\r')
            break;
        if (b == '"')
            return bad(c, err, c->line, c->col,
                       "'\"' inside an unquoted field (quote the whole field "
                       "and double the quote)");
        if (b == 0)
            return bad(c, err, c->line, c->col, "NUL byte in the file");
        if (b >= 0x80) {
            wf_status st = take_utf8(c, &w, err);
            if (st != WF_OK)
                return st;
            last = w;
            continue;
        }
        c->pos++;
        c->col++;
        w++;
        if (b != ' ' && b != '\t')
            last = w;
    }
    *end = last;
    return WF_OK;
}

static wf_status push_field(wf_csv *c, size_t n, wf_error *err)
{
    if (n < c->cap)
        return WF_OK;
    size_t cap = c->cap ? c->cap * 2 : 16;
    wf_csv_field *nf = realloc(c->fields, cap * sizeof *nf);
    if (!nf)
        return wf_error_nomem(err, "CSV fields");
    c->fields = nf;
    c->cap = cap;
    return WF_OK;
}

/* Scans one record at c->pos into c->fields; *n its field count. */
static wf_status scan_record(wf_csv *c, size_t *n, wf_error *err)
{
    size_t nf = 0;
    c->record_line = c->line;
    c->record_pos = c->pos;
    c->record_plain = false;
    for (;;) {
        long start_col = c->col;
        while (c->pos < c->size && (c->buf[c->pos] == ' ' || c->buf[c->pos] == '\t')) {
            c->pos++;
            c->col++;
        }
        if (c->expected && nf == c->expected)
            return bad(c, err, c->line, c->col,
                       "more fields than the header has (a trailing comma?)");
        wf_status st = push_field(c, nf, err);
        if (st != WF_OK)
            return st;
        wf_csv_field *f = &c->fields[nf++];
        f->line = c->line;
        f->column = c->col;
        f->quoted = c->pos < c->size && c->buf[c->pos] == '"';
        size_t end = c->pos;
        st = f->quoted ? scan_quoted(c, f, &end, err) : scan_plain(c, f, &end, err);
        if (st != WF_OK)
            return st;
        f->len = (size_t)(c->buf + end - f->s);
        if (f->len == 0 && !f->quoted)
            f->column = start_col;     /* all blank: where the field starts */
        char t = c->pos < c->size ? c->buf[c->pos] : '\n';
        bool at_eof = c->pos >= c->size;
        c->buf[end] = '\0';    /* after reading t: end <= pos */
        if (at_eof)
            break;
        if (t == ',') {
            c->pos++;
            c->col++;
            continue;
        }
        if (t == '\r') {
            if (!(c->pos + 1 < c->size && c->buf[c->pos + 1] == '\n'))
                return bad(c, err, c->line, c->col,
                           "carriage return not followed by a line feed");
            c->pos++;
        }
        c->pos++;              /* the line feed */
        c->line++;
        c->col = 1;
        break;
    }
    *n = nf;
    return WF_OK;
}

/* Bytes the fast path leaves to scan_record: delimiters, quotes, blanks
 * (which may need stripping), CR, NUL and every non-ASCII byte (UTF-8 to
 * check, and a character column that is no longer the byte offset). */
static const unsigned char fast_stop[256] = {
    [0] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, ['"'] = 1, [','] = 1,
    [0x80] =
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* The first position from pos on (or size) holding a fast_stop byte. A
 * word at a time where it can: every fast_stop byte is below ',' + 1 or
 * above 0x7F, and the lowest byte the test flags is exact (a borrow only
 * reaches bytes above a flagged one); a flagged byte that is not a stop
 * byte ('!', '#' to '+') is stepped over. */
static size_t skip_text(const unsigned char *b, size_t pos, size_t size)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ULL;
    while (pos + 8 <= size) {
        uint64_t w;
        memcpy(&w, b + pos, 8);
        uint64_t flags = ((w - ones * (',' + 1)) | w) & (ones << 7);
        if (!flags) {
            pos += 8;
            continue;
        }
        pos += (size_t)__builtin_ctzll(flags) / 8;
        if (fast_stop[b[pos]])
            return pos;
        pos++;
    }
#endif
    while (pos < size && !fast_stop[b[pos]])
        pos++;
    return pos;
}

/* The common record - ASCII fields without quotes or blanks, ending in LF
 * or at the end of the input, no wider than the header - scanned without
 * the per-byte bookkeeping of scan_record. Nothing is written until the
 * whole record has been seen: on anything else it returns false with the
 * reader untouched (bar c->fields) and scan_record reads the record
 * instead, so every message and position comes from one place. */
static bool scan_fast(wf_csv *c, size_t *n)
{
    const unsigned char *b = (const unsigned char *)c->buf;
    size_t pos = c->pos, nf = 0, limit = c->expected ? c->expected : c->cap;
    long col = c->col;
    bool lf = false;
    if (limit > c->cap)
        return false;
    for (;;) {
        if (nf == limit)
            return false;
        size_t start = pos;
        pos = skip_text(b, pos, c->size);
        if (pos < c->size && b[pos] != ',' && b[pos] != '\n')
            return false;
        wf_csv_field *f = &c->fields[nf++];
        f->s = c->buf + start;
        f->len = pos - start;
        f->line = c->line;
        f->column = col;
        f->quoted = false;
        col += (long)(pos - start);
        if (pos >= c->size)
            break;
        lf = b[pos++] == '\n';
        col++;
        if (lf)
            break;
    }
    for (size_t i = 0; i < nf; i++)
        c->fields[i].s[c->fields[i].len] = '\0';
    c->record_line = c->line;
    c->record_pos = c->pos;
    c->record_plain = true;
    c->pos = pos;
    c->col = lf ? 1 : col;
    c->line += lf;
    *n = nf;
    return true;
}

wf_status wf_csv_next(wf_csv *c, wf_csv_field **fields, size_t *n,
                      wf_error *err)
{
    *n = 0;
    *fields = c->fields;
    while (c->pos < c->size) {
        size_t nf = 0;
        wf_status st = scan_fast(c, &nf) ? WF_OK : scan_record(c, &nf, err);
        if (st != WF_OK)
            return st;
        if (nf == 1 && !c->fields[0].quoted && c->fields[0].len == 0)
            continue;          /* a blank line */
        if (c->expected == 0) {
            c->expected = nf;
        } else if (nf != c->expected) {
            return wf_error_set(err, WF_EINPUT, c->name, c->record_line,
                                c->fields[nf - 1].column,
                                "%zu fields, but the header has %zu",
                                nf, c->expected);
        }
        *fields = c->fields;
        *n = nf;
        return WF_OK;
    }
    return WF_OK;
}
