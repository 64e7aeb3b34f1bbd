/* `stratus import FILE [-o OUT.yaml] [--param KEY=VALUE ...] [--region R] [--stack-name N]`:
 * a CloudFormation template turned into a scenario (src/cli/import.c, docs/import.md). */
#pragma once

/* The import command; argv[0] is "import". Returns 0, 1 (the output cannot be written) or
 * 2 (bad usage or a template error, one line "file:line:column: message" on stderr). */
int cli_import (int argc, char **argv);
