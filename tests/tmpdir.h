/* Temporary directories for tests, as cmocka setup/teardown functions. */
#pragma once

/* Removes a file or a whole directory tree (symbolic links are removed, not followed). */
void tmpdir_remove_tree (const char *path);

/* cmocka setup: *state becomes a new temporary directory (a char*, freed by teardown). */
int tmpdir_setup (void **state);

/* cmocka teardown: removes the directory made by tmpdir_setup and frees its name. */
int tmpdir_teardown (void **state);
