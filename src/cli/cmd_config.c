/*
 * cmd_config.c - `wfsim config`: check a configuration, print it canonically.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wfsim_cli.h"

static const char help[] =
    "usage: wfsim config [--config FILE] [--start Y] [--end Y] [--seed S]\n"
    "                    [--scenario ID] [--plan ID] [--digest | --plan-design]\n"
    "\n"
    "Loads and checks a YAML configuration (docs/model.md 2.2; every key optional)\n"
    "and prints the effective configuration as one line of canonical JSON\n"
    "(docs/config.md), which is what SQL mode receives. Errors name the key.\n"
    "\n"
    "  --config FILE   the YAML file (default: every default of the model)\n"
    CLI_OVERRIDE_HELP
    "  --digest        print the SHA-256 of the canonical JSON instead\n"
    "  --plan-design   print the plan_design section as one line of JSON\n"
    "                  instead (what the dbt plan models receive; not part of\n"
    "                  the canonical JSON: the events do not depend on it)\n";

int cmd_config(int argc, char **argv)
{
    const char *path = NULL;
    cli_overrides ov = {0};
    int digest = 0, plan_design = 0;
    const cli_opt opts[] = {
        {"config", 0, CLI_TEXT, &path, NULL, 0, 0},
        CLI_SIMULATION_OVERRIDES(&ov),
        {"digest", 0, CLI_FLAG, &digest, NULL, 0, 0},
        {"plan-design", 0, CLI_FLAG, &plan_design, NULL, 0, 0},
        {NULL, 0, 0, NULL, NULL, 0, 0},
    };
    int prc = cli_parse_options("config", help, opts, argc, argv);
    if (prc)
        return prc == CLI_HELP_SHOWN ? 0 : prc;
    wf_config *cfg = NULL;
    int rc = cli_load_config(path, &ov, &cfg);
    if (rc)
        return rc;
    if (digest) {
        char hex[65];
        wf_config_digest(cfg, hex);
        printf("%s\n", hex);
    } else {
        char *json = plan_design ? wf_config_plan_design_json(cfg) : wf_config_to_json(cfg);
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
