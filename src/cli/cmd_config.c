/*
 * cmd_config.c - `wfsim config`: check a configuration, print it canonically.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "wfsim_cli.h"

static const char help[] =
    "usage: wfsim config [--config FILE] [--start Y] [--end Y] [--seed S]\n"
    "                    [--scenario ID] [--plan ID] [--digest]\n"
    "\n"
    "Loads and checks a YAML configuration (MODEL.md 2.2; every key optional)\n"
    "and prints the effective configuration as one line of canonical JSON\n"
    "(docs/config.md), which is what SQL mode receives. Errors name the key.\n"
    "\n"
    "  --config FILE   the YAML file (default: every default of MODEL.md)\n"
    CLI_OVERRIDE_HELP
    "  --digest        print the SHA-256 of the canonical JSON instead\n";

int cmd_config(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, 0, 'c'},
        CLI_OVERRIDE_OPTIONS,
        {"digest", no_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *path = NULL;
    cli_overrides ov = {0};
    int digest = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (cli_override_option(&ov, c, optarg))
            continue;
        switch (c) {
        case 'c': path = optarg; break;
        case 'd': digest = 1; break;
        case 'h': fputs(help, stdout); return 0;
        default: return cli_usage("config", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("config", "unexpected argument '%s'", argv[optind]);
    wf_config *cfg = NULL;
    int rc = cli_load_config(path, &ov, &cfg);
    if (rc)
        return rc;
    if (digest) {
        char hex[65];
        wf_config_digest(cfg, hex);
        printf("%s\n", hex);
    } else {
        char *json = wf_config_to_json(cfg);
        if (!json) {
            wf_config_free(cfg);
            fprintf(stderr, "wfsim: out of memory\n");
            return WF_ENOMEM;
        }
        printf("%s\n", json);
        free(json);
    }
    wf_config_free(cfg);
    return 0;
}
