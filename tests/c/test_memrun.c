/*
 * test_memrun.c - the in-memory run and its Arrow streams (wf_memrun.c,
 * wf_arrow_out.c), the census from an Arrow stream (census_arrow.c) and
 * wf_config_parse. Through wfsim.h only, as a host program would; the
 * ownership rules of the C data interface (release order, moved
 * children) are exercised so that the sanitizer builds check them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wf_test.h"
#include "wf_model_int.h"
#include "wf_rejects.h"
#include "wfsim.h"

typedef struct golden {
    wf_config *cfg;
    wf_tables *tab;
    wf_census *cen;
} golden;

static int golden_load(golden *g)
{
    wf_error err = {0};
    memset(g, 0, sizeof *g);
    return wf_config_load(wf_test_vector("golden/alt_config.yaml"), &g->cfg, &err) ==
               WF_OK &&
           wf_tables_load(NULL, &g->tab, &err) == WF_OK &&
           wf_census_load(wf_test_vector("golden/census.csv"), g->cfg, g->tab,
                          &g->cen, &err) == WF_OK;
}

static void golden_free(golden *g)
{
    wf_census_free(g->cen);
    wf_tables_free(g->tab);
    wf_config_free(g->cfg);
}

static int child_index(const struct ArrowSchema *s, const char *name)
{
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0)
            return (int)i;
    return -1;
}

TEST(memrun_events_stream_covers_every_event)
{
    golden g;
    ASSERT_TRUE(golden_load(&g));
    wf_error err = {0};
    wf_result *r = NULL;
    wf_memrun_options opt = {.threads = 3, .snapshots = 1, .created_at_us = 1700000000000000LL};
    ASSERT_EQ(wf_run_memory(g.cfg, g.tab, g.cen, &opt, &r, &err), WF_OK);
    golden_free(&g); /* the result keeps what it needs */
    struct ArrowArrayStream s;
    ASSERT_EQ(wf_result_events(r, &s, &err), WF_OK);
    struct ArrowSchema sc;
    ASSERT_EQ(s.get_schema(&s, &sc), 0);
    ASSERT_STREQ(sc.format, "+s");
    ASSERT_EQ(sc.n_children, 22);
    int year_col = child_index(&sc, "simulation_year");
    int comp_col = child_index(&sc, "compensation_amount");
    int prev_col = child_index(&sc, "previous_compensation");
    ASSERT_TRUE(year_col >= 0 && comp_col >= 0 && prev_col >= 0);
    ASSERT_STREQ(sc.children[comp_col]->format, "d:18,2");
    ASSERT_EQ(sc.children[prev_col]->flags & ARROW_FLAG_NULLABLE, ARROW_FLAG_NULLABLE);
    sc.release(&sc);
    int64_t rows = 0;
    int last_year = 0, batches = 0;
    struct ArrowArray keep = {0};
    for (;;) {
        struct ArrowArray a;
        ASSERT_EQ(s.get_next(&s, &a), 0);
        if (!a.release)
            break;
        batches++;
        ASSERT_EQ(a.n_children, 22);
        const int32_t *year = a.children[year_col]->buffers[1];
        ASSERT_TRUE(year[0] > last_year);        /* a batch per year, in order */
        ASSERT_EQ(year[a.length - 1], year[0]);
        last_year = year[0];
        /* money: the low word is the cents, the high word the sign */
        const int64_t *comp = a.children[comp_col]->buffers[1];
        ASSERT_TRUE(comp[0] > 0 && comp[1] == 0);
        rows += a.length;
        if (batches == 1) {
            /* move a child out; release the parent; the child lives on */
            keep = *a.children[year_col];
            a.children[year_col]->release = NULL;
        }
        a.release(&a);
    }
    s.release(&s);
    ASSERT_EQ(batches, 3);
    ASSERT_EQ(rows, wf_result_event_count(r));
    char *json = wf_result_summary_json(r);
    ASSERT_TRUE(json && strstr(json, "\"per_year\""));
    free(json);
    /* the caller's reference goes first; the moved child still reads */
    wf_result_free(r);
    ASSERT_TRUE(keep.release != NULL);
    ASSERT_EQ(((const int32_t *)keep.buffers[1])[0], 2025);
    keep.release(&keep);
}

TEST(memrun_snapshot_only_when_kept)
{
    golden g;
    ASSERT_TRUE(golden_load(&g));
    wf_error err = {0};
    wf_result *r = NULL;
    wf_memrun_options opt = {.threads = 1, .created_at_us = -1};
    ASSERT_EQ(wf_run_memory(g.cfg, g.tab, g.cen, &opt, &r, &err), WF_OK);
    struct ArrowArrayStream s;
    ASSERT_EQ(wf_result_snapshot(r, &s, &err), WF_EUSAGE);
    ASSERT_EQ(wf_result_has_snapshot(r), 0);
    /* a stream outlives the caller's reference */
    ASSERT_EQ(wf_result_events(r, &s, &(wf_error){0}), WF_OK);
    wf_result_free(r);
    struct ArrowArray a;
    ASSERT_EQ(s.get_next(&s, &a), 0);
    ASSERT_TRUE(a.release && a.length > 0);
    a.release(&a);
    s.release(&s);
    golden_free(&g);
}

TEST(memrun_write_equals_events_run)
{
    golden g;
    ASSERT_TRUE(golden_load(&g));
    wf_error err = {0};
    wf_result *r = NULL;
    wf_memrun_options opt = {.threads = 2, .snapshots = 1, .created_at_us = 1700000000000000LL};
    ASSERT_EQ(wf_run_memory(g.cfg, g.tab, g.cen, &opt, &r, &err), WF_OK);
    char mem[600], files[600];
    snprintf(mem, sizeof mem, "%s/mem", wf_test_tmpdir());
    snprintf(files, sizeof files, "%s/files", wf_test_tmpdir());
    ASSERT_EQ(wf_result_write(r, mem, 0, &err), WF_OK);
    wf_result_free(r);
    wf_run_options ro = {.out_dir = files, .threads = 2, .snapshots = 1,
                         .created_at_set = 1, .created_at_us = 1700000000000000LL};
    ASSERT_EQ(wf_events_run(g.cfg, g.tab, g.cen, &ro, &err), WF_OK);
    static const char *const parts[] = {
        "simulation_year=2025/part-00000.parquet", "simulation_year=2027/part-00000.parquet",
        "workforce_snapshot/simulation_year=2026/part-00000.parquet"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        char a[700], b[700];
        size_t na = 0, nb = 0;
        snprintf(a, sizeof a, "%s/%s", mem, parts[i]);
        snprintf(b, sizeof b, "%s/%s", files, parts[i]);
        char *x = wf_test_slurp(a, &na), *y = wf_test_slurp(b, &nb);
        int same = x && y && na == nb && memcmp(x, y, na) == 0;
        free(x);
        free(y);
        ASSERT_TRUE(same);
    }
    golden_free(&g);
}

/* ---- a census as a hand-made Arrow stream ---------------------------------- */

enum { ROWS = 3, COLS = 5 };

typedef struct hand_stream {
    const char *birth[ROWS];
    int calls;
    int broken;     /* the birth_date array lacks its string bytes */
    const char *ids; /* three 3-byte ids; NULL: E01E02E03 */
} hand_stream;

static void noop_schema(struct ArrowSchema *s)
{
    s->release = NULL;
}

static void noop_array(struct ArrowArray *a)
{
    a->release = NULL;
}

static struct ArrowSchema child_schemas[COLS] = {
    {.format = "u", .name = "employee_id", .release = noop_schema},
    {.format = "u", .name = "birth_date", .release = noop_schema},
    {.format = "tdD", .name = "hire_date", .release = noop_schema},
    {.format = "d:18,2", .name = "salary", .release = noop_schema},
    {.format = "b", .name = "active", .release = noop_schema},
};

static int hand_schema(struct ArrowArrayStream *s, struct ArrowSchema *out)
{
    (void)s;
    static struct ArrowSchema *kids[COLS];
    for (int i = 0; i < COLS; i++)
        kids[i] = &child_schemas[i];
    *out = (struct ArrowSchema){.format = "+s", .name = "", .n_children = COLS,
                                .children = kids, .release = noop_schema};
    return 0;
}

static int hand_next(struct ArrowArrayStream *s, struct ArrowArray *out)
{
    hand_stream *h = s->private_data;
    static int32_t id_off[ROWS + 1] = {0, 3, 6, 9};
    static char ids[10];
    memcpy(ids, h->ids ? h->ids : "E01E02E03", 9);
    static int32_t birth_off[ROWS + 1];
    static char births[64];
    static int32_t hire[ROWS] = {18628, 18629, 18630}; /* 2021-01-01 .. */
    static int64_t salary[2 * ROWS] = {5000000, 0, 6000050, 0, 7000000, 0};
    static uint8_t active_valid = 0x5, active_bits = 0x1; /* row 2 null, row 3 false */
    static const void *bufs[COLS][3];
    static struct ArrowArray kids[COLS];
    static struct ArrowArray *kid_ptrs[COLS];
    static const void *no_validity[1];
    if (h->calls++ > 0) {
        out->release = NULL;
        return 0;
    }
    size_t at = 0;
    for (int r = 0; r < ROWS; r++) {
        birth_off[r] = (int32_t)at;
        memcpy(births + at, h->birth[r], strlen(h->birth[r]));
        at += strlen(h->birth[r]);
    }
    birth_off[ROWS] = (int32_t)at;
    const void *const cols[COLS][3] = {
        {NULL, id_off, ids}, {NULL, birth_off, births}, {NULL, hire, NULL},
        {NULL, salary, NULL}, {&active_valid, &active_bits, NULL}};
    for (int c = 0; c < COLS; c++) {
        memcpy(bufs[c], cols[c], sizeof bufs[c]);
        kids[c] = (struct ArrowArray){.length = ROWS, .null_count = c == 4,
                                      .n_buffers = c < 2 ? 3 : 2, .buffers = bufs[c],
                                      .release = noop_array};
        kid_ptrs[c] = &kids[c];
    }
    if (h->broken)
        kids[1].n_buffers = 2;
    *out = (struct ArrowArray){.length = ROWS, .n_buffers = 1, .buffers = no_validity,
                               .n_children = COLS, .children = kid_ptrs,
                               .release = noop_array};
    return 0;
}

static const char *hand_error(struct ArrowArrayStream *s)
{
    (void)s;
    return NULL;
}

static wf_status hand_load_cfg(hand_stream *h, const wf_config *cfg, wf_census **cen,
                               wf_error *err)
{
    struct ArrowArrayStream s = {hand_schema, hand_next, hand_error, NULL, h};
    return wf_census_load_arrow(&s, "t", cfg, NULL, cen, err);
}

static wf_status hand_load(hand_stream *h, wf_census **cen, wf_error *err)
{
    return hand_load_cfg(h, NULL, cen, err);
}

TEST(census_arrow_reads_typed_cells)
{
    hand_stream h = {{"1980-05-01", "1990-02-03", "1970-12-31"}, 0, 0, NULL};
    wf_census *cen = NULL;
    wf_error err = {0};
    ASSERT_EQ(hand_load(&h, &cen, &err), WF_OK);
    ASSERT_EQ(wf_census_count(cen), 2); /* row 3 is not active */
    wf_census_free(cen);
}

TEST(census_arrow_errors_name_row_and_column)
{
    hand_stream h = {{"1980-05-01", "1990/02/03", "1970-12-31"}, 0, 0, NULL};
    wf_census *cen = NULL;
    wf_error err = {0};
    ASSERT_EQ(hand_load(&h, &cen, &err), WF_EINPUT);
    ASSERT_STREQ(err.file, "t");
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(err.column, 2);
    ASSERT_TRUE(strncmp(err.message, "birth_date:", 11) == 0);
    ASSERT_TRUE(cen == NULL);
}

TEST(census_arrow_refuses_a_malformed_array)
{
    hand_stream h = {{"1980-05-01", "1990-02-03", "1970-12-31"}, 0, 1, NULL};
    wf_census *cen = NULL;
    wf_error err = {0};
    ASSERT_EQ(hand_load(&h, &cen, &err), WF_EINPUT);
    ASSERT_EQ(err.column, 2);
    ASSERT_TRUE(strstr(err.message, "malformed") != NULL);
}

/* Skip mode on an Arrow census (census intake): a duplicated id rejects
 * both rows; the first one's cells, read long before, come back as the
 * text the table's cells gave (kept by the loader: there is no file). */
TEST(census_arrow_skip_mode_keeps_a_duplicates_first_row)
{
    static const char yaml[] = "census:\n  invalid_rows: skip\n  date_format: MM/DD/YYYY\n";
    wf_config *cfg = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_config_parse("<dict>", yaml, strlen(yaml), &cfg, &err), WF_OK);
    /* row 1 E01 active, row 2 E02 active (null), row 3 E01 not active */
    hand_stream h = {{"05/01/1980", "02/03/1990", "12/31/1970"}, 0, 0, "E01E02E01"};
    wf_census *cen = NULL;
    ASSERT_EQ(hand_load_cfg(&h, cfg, &cen, &err), WF_OK);
    ASSERT_EQ(wf_census_count(cen), 1);
    const wf_rejects *r = &cen->rej;
    ASSERT_EQ(r->n, 2);
    ASSERT_EQ(r->rows[0].line, 1);
    ASSERT_EQ(r->rows[0].column, 1);
    ASSERT_TRUE(r->rows[0].duplicate);
    ASSERT_STREQ(wf_rejects_reason(r, 0), "employee_id: duplicate 'E01' (again on line 3)");
    /* the typed hire date is written in the configured format */
    static const char want[] = "E01\0" "05/01/1980\0" "01/01/2021\0" "50000.00\0" "true";
    ASSERT_TRUE(memcmp(wf_rejects_fields(r, 0), want, sizeof want) == 0);
    ASSERT_EQ(r->rows[1].line, 3);
    ASSERT_TRUE(strstr(wf_rejects_reason(r, 1), "first on line 1") != NULL);
    wf_census_free(cen);
    /* strict mode refuses the table naming the first row */
    wf_config_free(cfg);
    static const char strict[] = "census:\n  date_format: MM/DD/YYYY\n";
    ASSERT_EQ(wf_config_parse("<dict>", strict, strlen(strict), &cfg, &err), WF_OK);
    h.calls = 0;
    ASSERT_EQ(hand_load_cfg(&h, cfg, &cen, &err), WF_EINPUT);
    ASSERT_EQ(err.line, 1);
    ASSERT_EQ(err.column, 1);
    ASSERT_TRUE(cen == NULL);
    wf_config_free(cfg);
}

/* Skip mode's rejected rows as an Arrow stream (wf_result_rejected_rows):
 * the golden census with its second row repeated at the end rejects both
 * rows of that id; the stream outlives the census and the result, and a
 * column moved out of its batch outlives the batch. */
TEST(memrun_rejected_rows_stream)
{
    golden g;
    ASSERT_TRUE(golden_load(&g));
    char path[512];
    snprintf(path, sizeof path, "%s/rejects_census.csv", wf_test_tmpdir());
    FILE *in = fopen(wf_test_vector("golden/census.csv"), "r");
    FILE *out = fopen(path, "w");
    ASSERT_TRUE(in && out);
    char line[1024], second[1024] = "";
    long lines = 0;
    while (fgets(line, sizeof line, in)) {
        fputs(line, out);
        if (++lines == 2)
            snprintf(second, sizeof second, "%s", line);
    }
    fputs(second, out);
    fclose(in);
    fclose(out);
    wf_error err = {0};
    wf_census *cen = NULL;
    ASSERT_EQ(wf_config_set(g.cfg, "census.invalid_rows", "skip", &err), WF_OK);
    ASSERT_EQ(wf_census_load(path, g.cfg, g.tab, &cen, &err), WF_OK);
    wf_result *r = NULL;
    wf_memrun_options opt = {.threads = 1, .created_at_us = -1};
    ASSERT_EQ(wf_run_memory(g.cfg, g.tab, cen, &opt, &r, &err), WF_OK);
    wf_census_free(cen);
    struct ArrowArrayStream s;
    ASSERT_EQ(wf_result_rejected_rows(r, &s, &err), WF_OK);
    wf_result_free(r);
    struct ArrowSchema sc;
    ASSERT_EQ(s.get_schema(&s, &sc), 0);
    ASSERT_STREQ(sc.format, "+s");
    ASSERT_TRUE(sc.n_children == 3 + 7);
    ASSERT_STREQ(sc.children[0]->name, "line");
    ASSERT_STREQ(sc.children[0]->format, "l");
    ASSERT_STREQ(sc.children[2]->name, "reason");
    ASSERT_STREQ(sc.children[3]->name, "employee_id");
    ASSERT_STREQ(sc.children[3]->format, "u");
    sc.release(&sc);
    struct ArrowArray a;
    ASSERT_EQ(s.get_next(&s, &a), 0);
    ASSERT_TRUE(a.release != NULL);
    ASSERT_EQ(a.length, 2);
    const int64_t *line_no = a.children[0]->buffers[1];
    ASSERT_EQ(line_no[0], 2);
    ASSERT_EQ(line_no[1], lines + 1);
    /* move the id column out, release the batch, read the column */
    struct ArrowArray id = *a.children[3];
    a.children[3]->release = NULL;
    a.release(&a);
    const int32_t *off = id.buffers[1];
    const char *bytes = id.buffers[2];
    ASSERT_TRUE(off[1] > 0 && off[2] - off[1] == off[1]);
    ASSERT_TRUE(memcmp(bytes, second, (size_t)off[1]) == 0);
    ASSERT_TRUE(memcmp(bytes + off[1], bytes, (size_t)off[1]) == 0);
    id.release(&id);
    ASSERT_EQ(s.get_next(&s, &a), 0);
    ASSERT_TRUE(a.release == NULL); /* the end */
    s.release(&s);
    /* strict mode keeps no rejected rows */
    ASSERT_EQ(wf_run_memory(g.cfg, g.tab, g.cen, &opt, &r, &err), WF_OK);
    ASSERT_EQ(wf_result_rejected_rows(r, &s, &err), WF_EUSAGE);
    wf_result_free(r);
    golden_free(&g);
    remove(path);
}

TEST(config_parse_from_text)
{
    static const char yaml[] = "simulation:\n  start_year: 2030\n  end_year: 2031\n";
    wf_config *cfg = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_config_parse("<dict>", yaml, strlen(yaml), &cfg, &err), WF_OK);
    ASSERT_EQ(wf_config_start_year(cfg), 2030);
    wf_config_free(cfg);
    static const char bad[] = "workforce:\n  termination_rte: 0.1\n";
    ASSERT_EQ(wf_config_parse("<dict>", bad, strlen(bad), &cfg, &err), WF_EINPUT);
    ASSERT_STREQ(err.key, "workforce.termination_rte");
    ASSERT_STREQ(err.file, "<dict>");
    ASSERT_EQ(err.line, 2);
}
