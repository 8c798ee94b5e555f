/*
 * census_gen.c - a deterministic synthetic census (wf_census_generate).
 *
 * Benchmarks and tests need censuses of any size that look like a real
 * workforce and pass every rule of docs/model.md 2.1. Like the model itself,
 * the generator uses keyed draws instead of a sequential generator: the
 * attributes of employee i are functions of MD5("{seed}|{i}|{block}") for
 * three named blocks ("person", "pay", "plan"), each giving four 32-bit
 * big-endian words. So employee i is the same whatever n is, and the file
 * is a pure function of (n, seed, start_year, tables).
 *
 * What an employee looks like:
 *   - level: drawn with the tables' new_hire_mix weights (a pyramid);
 *   - age at the census date C: 22..64, at least 22 + 3 * (level - 1);
 *   - tenure: the shorter of two uniform draws over 0 .. age - 18 years
 *     (capped at 40), so short tenures dominate; hire on or before C and
 *     at or after the 18th birthday;
 *   - salary: uniform inside the level's [min, max) band, in cents;
 *   - three quarters enrolled, deferral 1%..15% in whole bp; one in twenty
 *     has auto_escalation_opt_out.
 * The file is written to a temporary file beside `path` and renamed over
 * it only once complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/md5.h>

#include "wf_date.h"
#include "wf_error.h"
#include "wf_model_int.h"

static void block(uint64_t seed, long i, const char *name, uint32_t w[4])
{
    char key[96];
    uint8_t d[MD5_DIGEST_SIZE];
    int n = snprintf(key, sizeof key, "%llu|%ld|%s", (unsigned long long)seed, i, name);
    struct md5_ctx ctx;
    md5_init(&ctx);
    md5_update(&ctx, (size_t)n, (const uint8_t *)key);
    md5_digest(&ctx, sizeof d, d);
    for (int k = 0; k < 4; k++)
        w[k] = (uint32_t)d[4 * k] << 24 | (uint32_t)d[4 * k + 1] << 16 |
               (uint32_t)d[4 * k + 2] << 8 | d[4 * k + 3];
}

static int64_t pick(uint32_t x, int64_t n)  /* [0, n), n <= 2^31 */
{
    return (int64_t)(((uint64_t)x * (uint64_t)n) >> 32);
}

static int pick_level(const wf_tables *tab, uint32_t x)
{
    int64_t total = 0;
    for (int l = 0; l < tab->n_levels; l++)
        total += tab->levels[l].new_hire_mix_ppm;
    int64_t r = pick(x, total), cum = 0;
    for (int l = 0; l < tab->n_levels; l++) {
        cum += tab->levels[l].new_hire_mix_ppm;
        if (r < cum)
            return l;
    }
    return tab->n_levels - 1;
}

/* Writes employee i's row into f. */
static void write_row(FILE *f, const wf_tables *tab, uint64_t seed, long i,
                      int32_t census_day)
{
    uint32_t a[4], b[4], c[4];
    block(seed, i, "person", a);
    block(seed, i, "pay", b);
    block(seed, i, "plan", c);
    int l = pick_level(tab, a[0]);
    int age = 22 + (int)pick(a[1], 43);
    if (age < 22 + 3 * l)
        age = 22 + 3 * l;
    if (age > 64)
        age = 64;
    int32_t birth = wf_date_add_years(census_day, -age) - (int32_t)pick(a[2], 365);
    int max_years = age - 18 < 40 ? age - 18 : 40;
    int64_t span = (int64_t)max_years * 365 + 1;
    int64_t t1 = pick(a[3], span), t2 = pick(b[0], span);
    int32_t hire = census_day - (int32_t)(t1 < t2 ? t1 : t2);
    int32_t adult = wf_date_add_years(birth, 18);
    if (hire < adult)
        hire = adult;
    const wf_level *lv = &tab->levels[l];
    double u = (double)b[1] / 4294967296.0;
    int64_t cents = lv->min_cents + (int64_t)(u * (double)(lv->max_cents - lv->min_cents));
    if (cents < 100)
        cents = 100;
    int bp = pick(b[2], 4) != 0 ? 100 + (int)pick(c[0], 1401) : 0;
    bool opt_out = pick(c[1], 20) == 0;
    char bd[11], hd[11];
    wf_date_format(birth, bd);
    wf_date_format(hire, hd);
    fprintf(f, "EMP_%06ld,%s,%s,%lld.%02lld,%d,%d.%04d,%s\n", i, bd, hd,
            (long long)(cents / 100), (long long)(cents % 100), lv->id, bp / 10000,
            bp % 10000, opt_out ? "true" : "false");
}

wf_status wf_census_generate(const char *path, long n, uint64_t seed, int start_year,
                             const wf_tables *tab, wf_error *err)
{
    if (n < 1)
        return wf_error_set(err, WF_EUSAGE, path, 0, 0,
                            "a census needs at least one employee (n = %ld)", n);
    if (start_year < 1900 || start_year > 2200)
        return wf_error_set(err, WF_EUSAGE, path, 0, 0,
                            "start_year %d is outside 1900..2200", start_year);
    wf_tables *own = NULL;
    wf_status st = WF_OK;
    if (!tab) {
        if ((st = wf_tables_load(NULL, &own, err)) != WF_OK)
            return st;
        tab = own;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    FILE *f = NULL;
    char *iobuf = NULL;
    int fd = -1;
    if (!tmp) {
        st = wf_error_nomem(err, "census file name");
        goto done;
    }
    /* not mkstemp: its 0600 would survive the rename */
    for (int attempt = 0; fd < 0 && attempt < 100; attempt++) {
        snprintf(tmp, plen + 32, "%s.tmp.%ld.%d", path, (long)getpid(), attempt);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        st = wf_error_errno(err, "create a temporary file for", path);
        goto done;
    }
    if (!(f = fdopen(fd, "w"))) {
        st = wf_error_errno(err, "write", tmp);
        close(fd);
        unlink(tmp);
        goto done;
    }
    if ((iobuf = malloc(1 << 20)))
        setvbuf(f, iobuf, _IOFBF, 1 << 20);
    int32_t census_day = wf_date_from_ymd(start_year - 1, 12, 31);
    fputs("employee_id,birth_date,hire_date,salary,level_id,deferral_rate,"
          "auto_escalation_opt_out\n", f);
    for (long i = 1; i <= n; i++)
        write_row(f, tab, seed, i, census_day);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        st = wf_error_errno(err, "write", tmp);
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        st = wf_error_errno(err, "rename the temporary file onto", path);
        unlink(tmp);
    }
done:
    free(iobuf);
    free(tmp);
    wf_tables_free(own);
    return st;
}
