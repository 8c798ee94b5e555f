/*
 * test_inputs_fuzz.c - the loaders on randomly damaged inputs.
 *
 * Starting from the golden census and alt configuration, each round
 * applies a few random edits (byte changes, inserted quotes, commas, line
 * breaks, CRs, high bytes, deletions) and loads the result. Whatever the
 * damage, a loader must answer WF_OK or WF_EINPUT - never crash, never
 * another status - and a refusal must name the file, a line inside it and
 * a non-empty message. Run under the sanitizers this is the parsers' fuzz
 * corpus replay. Seeded: replay a failure with WF_TEST_SEED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wf_test.h"

#include "wf_model_int.h"

static uint64_t next(uint64_t *s)     /* splitmix64: test data only */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = malloc(1 << 20);
    *len = fread(b, 1, (1 << 20) - 64, f);
    fclose(f);
    return b;
}

/* Applies 1..4 random edits to buf[0..*len) (capacity len + 64). */
static void damage(char *buf, size_t *len, uint64_t *s)
{
    static const char inserts[] = "\",\n\r \t\xC3\xFF\0.-e9:{[&*#'";
    int edits = 1 + (int)(next(s) % 4);
    for (int k = 0; k < edits && *len > 1; k++) {
        size_t at = next(s) % *len;
        switch (next(s) % 3) {
        case 0:
            buf[at] = (char)(next(s) & 0xFF);
            break;
        case 1:
            memmove(buf + at + 1, buf + at, *len - at);
            buf[at] = inserts[next(s) % (sizeof inserts - 1)];
            (*len)++;
            break;
        default:
            memmove(buf + at, buf + at + 1, *len - at - 1);
            (*len)--;
        }
    }
}

static long count_lines(const char *b, size_t len)
{
    long n = 1;
    for (size_t i = 0; i < len; i++)
        n += b[i] == '\n';
    return n;
}

TEST(inputs_fuzz_census_and_config)
{
    uint64_t seed = wf_test_seed(20261124);
    wf_test_note("seed %llu", (unsigned long long)seed);
    size_t clen = 0, ylen = 0;
    char *census = slurp(wf_test_vector("golden/census.csv"), &clen);
    char *yaml = slurp(wf_test_vector("golden/alt_config.yaml"), &ylen);
    ASSERT_TRUE(census && yaml);
    char *buf = malloc(1 << 20);
    const char *dir = wf_test_tmpdir();
    char path[4200];
    wf_tables *tab = NULL;
    wf_config *dflt = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_tables_load(NULL, &tab, &err), WF_OK);
    ASSERT_EQ(wf_config_load(NULL, &dflt, &err), WF_OK);
    uint64_t s = seed;
    int refused = 0;
    for (int round = 0; round < 400; round++) {
        bool is_census = round % 2 == 0;
        size_t len = is_census ? clen : ylen;
        memcpy(buf, is_census ? census : yaml, len);
        damage(buf, &len, &s);
        snprintf(path, sizeof path, "%s/%s", dir, is_census ? "c.csv" : "c.yaml");
        FILE *f = fopen(path, "wb");
        fwrite(buf, 1, len, f);
        fclose(f);
        memset(&err, 0, sizeof err);
        wf_status st;
        if (is_census) {
            wf_census *cen = NULL;
            st = wf_census_load(path, dflt, tab, &cen, &err);
            if (st == WF_OK && (cen->n < 1 || cen->n > 61))
                st = WF_ERUNTIME;           /* impossible count: report below */
            wf_census_free(cen);
        } else {
            wf_config *cfg = NULL;
            st = wf_config_load(path, &cfg, &err);
            wf_config_free(cfg);
        }
        bool ok = st == WF_OK ||
                  (st == WF_EINPUT && strcmp(err.file, path) == 0 && err.message[0] &&
                   err.line >= 0 && err.line <= count_lines(buf, len) + 1);
        if (!ok) {
            wf_test_fail(__FILE__, __LINE__, "round %d (%s): status %d, %s:%ld: %s", round,
                         is_census ? "census" : "config", (int)st, err.file, err.line,
                         err.message);
            break;
        }
        refused += st == WF_EINPUT;
    }
    unlink(path);
    snprintf(path, sizeof path, "%s/c.csv", dir);
    unlink(path);
    rmdir(dir);
    free(buf);
    free(census);
    free(yaml);
    wf_tables_free(tab);
    wf_config_free(dflt);
    ASSERT_TRUE(refused > 100);         /* the damage does reach the parsers */
}
