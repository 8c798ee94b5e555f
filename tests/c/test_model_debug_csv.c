/*
 * test_model_debug_csv.c - the debug CSV writer (wf_debug_csv.h) on a
 * hand-built batch: number formats, nulls, quoting, the event_id, and the
 * sticky error of a writer used wrongly.
 */
#include "wf_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_model_util.h"
#include "wf_date.h"
#include "wf_debug_csv.h"

TEST(model_debug_csv_event_row)
{
    const char *ids[2] = {"EMP_000001", "B"};
    const char *ages[2] = {"<25", "a,\"b\""};
    const char *tens[1] = {"<2"};
    wf_event ev[2];
    memset(ev, 0, sizeof ev);
    ev[0].emp = 0;
    ev[0].date = wf_date_from_ymd(2025, 4, 1);
    ev[0].comp_cents = 13591003;
    ev[0].prev_comp_cents = 13068272;
    ev[0].probability = 0.9;
    ev[0].deferral_bp = WF_NULL_I32;
    ev[0].prev_deferral_bp = WF_NULL_I32;
    ev[0].age = 57;
    ev[0].tenure = 9;
    ev[0].seq = 1;
    ev[0].type = WF_EV_RAISE;
    ev[0].category = WF_CAT_MERIT;
    ev[0].level = 3;
    ev[1] = ev[0];
    ev[1].emp = 1;
    ev[1].type = WF_EV_ENROLLMENT_CHANGE;
    ev[1].category = WF_CAT_OPT_OUT;
    ev[1].comp_cents = -5;
    ev[1].prev_comp_cents = WF_NULL_I64;
    ev[1].deferral_bp = 0;
    ev[1].prev_deferral_bp = 600;
    ev[1].probability = NAN;
    ev[1].age_band = 1;
    ev[1].prev_level = 2;
    wf_event_batch b = {2025, 2, ev, ids, ages, tens, "default", "default", 12345};

    char path[4200];
    snprintf(path, sizeof path, "%s/e.csv", wf_test_tmpdir());
    wf_debug_csv *w = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_debug_csv_open(path, NULL, &w, &err), WF_OK);
    ASSERT_EQ(wf_debug_csv_events(w, &b, &err), WF_OK);
    wf_snapshot_batch sb = {2025, 0, NULL, ids};
    ASSERT_EQ(wf_debug_csv_snapshot(w, &sb, &err), WF_EUSAGE);
    ASSERT_EQ(wf_debug_csv_close(w, &err), WF_OK);
    char *text = wf_test_slurp(path, NULL);
    ASSERT_TRUE(text != NULL);
    /* The first row of tests/vectors/golden/default/events.csv. */
    const char *row1 =
        "2025,0aec9dd230f2e123a776be99cae3a4d2,default,default,12345,EMP_000001,"
        "raise,merit,2025-04-01,1,3,,135910.03,130682.72,,,57,9,<25,<2,0.9\n";
    char *nl = strchr(text, '\n');
    bool ok = nl && strncmp(nl + 1, row1, strlen(row1)) == 0;
    if (!ok)
        wf_test_note("got:\n%s", text);
    const char *row2 = nl ? nl + 1 + strlen(row1) : "";
    ok = ok && strstr(row2, ",B,enrollment_change,opt_out,2025-04-01,1,3,2,-0.05,,"
                            "0.0000,0.0600,57,9,\"a,\"\"b\"\"\",<2,\n") != NULL;
    free(text);
    ASSERT_TRUE(ok);
}

TEST(model_debug_csv_open_failure_names_file)
{
    wf_debug_csv *w = NULL;
    wf_error err = {0};
    ASSERT_EQ(wf_debug_csv_open("/nonexistent-dir/e.csv", NULL, &w, &err), WF_EIO);
    ASSERT_TRUE(w == NULL);
    ASSERT_CONTAINS(err.file, "/nonexistent-dir/e.csv");
}
