/*
 * wfsim.c - the command-line tool (being built; see README.md).
 */
#include <stdio.h>

#include "wfsim.h"

int main(void)
{
    printf("wfsim %s\n", WF_VERSION);
    return 0;
}
