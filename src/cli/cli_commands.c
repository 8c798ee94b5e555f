/*
 * cli_commands.c - the table of `wfsim` commands.
 */
#include "wfsim_cli.h"

const cli_command cli_commands[] = {
    {"census", cmd_census},
    {"events", cmd_events},
    {"config", cmd_config},
    {"run", cmd_run},
    {"parity", cmd_parity},
    {"report", cmd_report},
    {"ensemble", cmd_ensemble},
};

const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];
