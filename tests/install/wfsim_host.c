/*
 * wfsim_host.c - a host program written against the installed wfsim.h alone
 * (tests/py/test_install.py builds it with `pkg-config --cflags --libs wfsim`,
 * once against libwfsim.so and once statically).
 *
 *     wfsim_host CENSUS OUT    simulates the default configuration's years
 *                              for CENSUS into OUT and prints one line:
 *                              "wfsim VERSION: N employees, OUT written"
 *
 * On an error it prints what wf_error_format gives and exits with the
 * status, as the wfsim command does.
 */
#include <stdio.h>

#include <wfsim.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: wfsim_host CENSUS OUT\n");
        return 64;
    }
    wf_error err = {0};
    wf_config *cfg = NULL;
    wf_tables *tab = NULL;
    wf_census *cen = NULL;
    wf_status st = wf_config_load(NULL, &cfg, &err);
    if (st == WF_OK)
        st = wf_tables_load(NULL, &tab, &err);
    if (st == WF_OK)
        st = wf_census_load(argv[1], cfg, tab, &cen, &err);
    if (st == WF_OK) {
        wf_run_options opt = {.out_dir = argv[2], .threads = 2, .snapshots = 1};
        st = wf_events_run(cfg, tab, cen, &opt, &err);
    }
    if (st == WF_OK) {
        printf("wfsim %s: %zu employees, %s written\n", WF_VERSION, wf_census_count(cen),
               argv[2]);
    } else {
        char msg[2048];
        wf_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "wfsim_host: %s\n", msg);
    }
    wf_census_free(cen);
    wf_tables_free(tab);
    wf_config_free(cfg);
    return (int)st;
}
