/* Suite "stats": the results folder's life cycle on the real file system (stats.c, outdir.c):
 * temporary folder, marker listing lucsim's files, commit by rename, abort, the existing-folder
 * rules, --force replacement keeping a user's files, the lock, dead runs' leftovers. The signal
 * clean-up is tested end to end (tests/e2e/results_safety.sh): it exits the process. */
#include "stats.h"

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[64];

static void make_root(void)
{
  snprintf(root, sizeof root, "/tmp/lucsim-stats-XXXXXX");
  CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
}

static void remove_root(void)
{
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  CU_ASSERT_EQUAL(system(cmd), 0);
}

static void path_of(char* buf, size_t size, const char* rel)
{
  snprintf(buf, size, "%s/%s", root, rel);
}

static bool exists(const char* rel)
{
  char p[256];
  struct stat sb;
  path_of(p, sizeof p, rel);
  return lstat(p, &sb) == 0;
}

static void write_text(const char* rel, const char* text)
{
  char p[256];
  path_of(p, sizeof p, rel);
  FILE* f = fopen(p, "w");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs(text, f);
  fclose(f);
}

static char* read_text(const char* rel, char* buf, size_t size)
{
  char p[256];
  path_of(p, sizeof p, rel);
  buf[0]  = '\0';
  FILE* f = fopen(p, "r");
  if (!f) return buf;
  size_t n = fread(buf, 1, size - 1, f);
  buf[n]   = '\0';
  fclose(f);
  return buf;
}

/* Entries of a folder, sorted, joined by spaces ("" when empty or missing). */
static char* list(const char* rel, char* buf, size_t size)
{
  char p[256];
  path_of(p, sizeof p, rel);
  struct dirent** names;
  int n  = scandir(p, &names, NULL, alphasort);
  buf[0] = '\0';
  for (int i = 0; i < n; i++) {
    if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0)
      snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? " " : "", names[i]->d_name);
    free(names[i]);
  }
  if (n >= 0) free(names);
  return buf;
}

/* One run's folder: two files, committed. */
static int write_run(const char* rel, bool force, const char* content, lucsim_err_t* err)
{
  char p[256];
  path_of(p, sizeof p, rel);
  stats_t* st = stats_open(p, force, err);
  if (!st) return -1;
  FILE* a = stats_file(st, "summary.csv", err);
  FILE* b = stats_file(st, "load.csv", err);
  CU_ASSERT_PTR_NOT_NULL(a);
  CU_ASSERT_PTR_NOT_NULL(b);
  fputs(content, a);
  fputs("t\n", b);
  int rc = stats_commit(st, err);
  stats_destroy(st);
  return rc;
}

static void test_commit_renames_the_temporary_folder_and_lists_lucsim_files(void)
{
  make_root();
  char p[256], buf[1024];
  path_of(p, sizeof p, "a/b/run");
  lucsim_err_t err;
  stats_t* st = stats_open(p, false, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(st);
  char expected[64];
  snprintf(expected, sizeof expected, "run.lock run.tmp-%ld", (long)getpid()); /* the lock sits beside it */
  CU_ASSERT_STRING_EQUAL(list("a/b", buf, sizeof buf), expected);
  FILE* f = stats_file(st, "summary.csv", &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  fputs("x\n", f);
  char tp[512];
  CU_ASSERT_EQUAL(stats_path(st, "trace.paje", tp, sizeof tp, &err), 0);
  CU_ASSERT_EQUAL(stats_path(st, "../escape", tp, sizeof tp, &err), -1);
  CU_ASSERT_EQUAL(stats_commit(st, &err), 0);
  stats_destroy(st);
  CU_ASSERT_STRING_EQUAL(list("a/b", buf, sizeof buf), "run"); /* no temporary folder, no lock */
  CU_ASSERT_STRING_EQUAL(list("a/b/run", buf, sizeof buf), ".lucsim-results summary.csv");
  read_text("a/b/run/.lucsim-results", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nfile summary.csv\nfile trace.paje\n"));
  remove_root();
}

static void test_abort_removes_only_what_it_wrote(void)
{
  make_root();
  char p[256], buf[256];
  path_of(p, sizeof p, "run");
  lucsim_err_t err;
  stats_t* st = stats_open(p, false, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(st);
  CU_ASSERT_PTR_NOT_NULL(stats_file(st, "load.csv", &err));
  stats_abort(st);
  stats_destroy(st);
  CU_ASSERT_STRING_EQUAL(list("", buf, sizeof buf), "");
  remove_root();
}

static void test_existing_folders_are_refused_unless_empty_or_forced_lucsim_results(void)
{
  make_root();
  char buf[256];
  lucsim_err_t err;
  /* a user's folder with a file named summary.csv: refused even with force, untouched */
  mkdir((path_of(buf, sizeof buf, "mine"), buf), 0777);
  write_text("mine/summary.csv", "my data\n");
  CU_ASSERT_EQUAL(write_run("mine", false, "x\n", &err), -1);
  CU_ASSERT_STRING_EQUAL(err.field, "output.dir");
  CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "is not a lucsim results folder"));
  CU_ASSERT_EQUAL(write_run("mine", true, "x\n", &err), -1);
  CU_ASSERT_STRING_EQUAL(read_text("mine/summary.csv", buf, sizeof buf), "my data\n");
  /* an empty folder is used */
  mkdir((path_of(buf, sizeof buf, "empty"), buf), 0777);
  CU_ASSERT_EQUAL(write_run("empty", false, "first\n", &err), 0);
  /* a lucsim folder: refused without force, replaced with it */
  CU_ASSERT_EQUAL(write_run("empty", false, "second\n", &err), -1);
  CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "add --force"));
  CU_ASSERT_EQUAL(write_run("empty", true, "second\n", &err), 0);
  CU_ASSERT_STRING_EQUAL(read_text("empty/summary.csv", buf, sizeof buf), "second\n");
  CU_ASSERT_STRING_EQUAL(list("", buf, sizeof buf), "empty mine");
  /* '.' and '..' are never a results folder */
  CU_ASSERT_PTR_NULL(stats_open(".", true, &err));
  CU_ASSERT_PTR_NULL(stats_open("a/..", true, &err));
  CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "names an existing folder"));
  remove_root();
}

static void test_force_keeps_files_a_user_added(void)
{
  make_root();
  char buf[256], old[64];
  lucsim_err_t err;
  CU_ASSERT_EQUAL(write_run("run", false, "first\n", &err), 0);
  write_text("run/notes.txt", "mine\n");
  CU_ASSERT_EQUAL(write_run("run", true, "second\n", &err), 0);
  snprintf(old, sizeof old, "run.old-%ld", (long)getpid());
  CU_ASSERT_STRING_EQUAL(list(old, buf, sizeof buf), "notes.txt");
  CU_ASSERT_STRING_EQUAL(list("run", buf, sizeof buf), ".lucsim-results load.csv summary.csv");
  remove_root();
}

static void test_a_second_open_of_the_same_folder_is_refused_by_the_lock(void)
{
  make_root();
  char p[256];
  path_of(p, sizeof p, "run");
  lucsim_err_t err;
  stats_t* st = stats_open(p, false, &err);
  CU_ASSERT_PTR_NOT_NULL_FATAL(st);
  pid_t child = fork();
  if (child == 0) { /* another process: flock is per open file, so this is a real second run */
    lucsim_err_t e;
    stats_t* other = stats_open(p, false, &e);
    _exit(other == NULL && strstr(e.message, "another lucsim run") ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  stats_abort(st);
  stats_destroy(st);
  CU_ASSERT_FALSE(exists("run.lock"));
  remove_root();
}

static void test_dead_runs_leftovers_are_removed_living_and_foreign_ones_kept(void)
{
  make_root();
  char buf[256];
  lucsim_err_t err;
  /* a dead process's marked temporary folder (pid 999999999 does not exist) */
  mkdir((path_of(buf, sizeof buf, "run.tmp-999999999"), buf), 0777);
  write_text("run.tmp-999999999/.lucsim-results", "lucsim results folder\nfile summary.csv\n");
  write_text("run.tmp-999999999/summary.csv", "half\n");
  /* not lucsim's (no marker) and a living process's (pid 1): kept */
  mkdir((path_of(buf, sizeof buf, "run.tmp-999999998"), buf), 0777);
  write_text("run.tmp-999999998/data.txt", "mine\n");
  mkdir((path_of(buf, sizeof buf, "run.tmp-1"), buf), 0777);
  write_text("run.tmp-1/.lucsim-results", "lucsim results folder\n");
  CU_ASSERT_EQUAL(write_run("run", false, "x\n", &err), 0);
  CU_ASSERT_STRING_EQUAL(list("", buf, sizeof buf), "run run.tmp-1 run.tmp-999999998");
  remove_root();
}

static void test_csv_strings_are_quoted_when_needed(void)
{
  char* text = NULL;
  size_t len = 0;
  FILE* f    = open_memstream(&text, &len);
  stats_csv_string(f, "plain");
  fputc('|', f);
  stats_csv_string(f, "a,b \"c\"");
  fclose(f);
  CU_ASSERT_STRING_EQUAL(text, "plain|\"a,b \"\"c\"\"\"");
  free(text);
}

CU_TestInfo stats_tests[] = {
    {"commit_renames_the_temporary_folder_and_lists_lucsim_files",
     test_commit_renames_the_temporary_folder_and_lists_lucsim_files},
    {"abort_removes_only_what_it_wrote", test_abort_removes_only_what_it_wrote},
    {"existing_folders_are_refused_unless_empty_or_forced_lucsim_results",
     test_existing_folders_are_refused_unless_empty_or_forced_lucsim_results},
    {"force_keeps_files_a_user_added", test_force_keeps_files_a_user_added},
    {"a_second_open_of_the_same_folder_is_refused_by_the_lock",
     test_a_second_open_of_the_same_folder_is_refused_by_the_lock},
    {"dead_runs_leftovers_are_removed_living_and_foreign_ones_kept",
     test_dead_runs_leftovers_are_removed_living_and_foreign_ones_kept},
    {"csv_strings_are_quoted_when_needed", test_csv_strings_are_quoted_when_needed},
    CU_TEST_INFO_NULL,
};
