/* Results folder safety (see outdir.h and stats.h): existing-folder rules, the lock, the marker,
 * dead runs' leftovers, signal clean-up and the atomic swap at commit. Removal is always by name:
 * only the files lucsim recorded (in memory, or in a marker it wrote) are ever unlinked. */
#define _GNU_SOURCE /* renameat2 (atomic exchange), flock */
#include "outdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTDIR_PATH_MAX 1100
#define OUTDIR_NAME_MAX 64

static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define SIGNAL_COUNT (sizeof handled_signals / sizeof handled_signals[0])

struct outdir {
  char final_dir[OUTDIR_PATH_MAX];
  char tmp_dir[OUTDIR_PATH_MAX + 32];
  char lock_path[OUTDIR_PATH_MAX + 8];
  char marker_path[OUTDIR_PATH_MAX + 64];
  int lock_fd;
  bool force;
  char names[OUTDIR_MAX_FILES][OUTDIR_NAME_MAX];
  char paths[OUTDIR_MAX_FILES][OUTDIR_PATH_MAX + 32 + OUTDIR_NAME_MAX]; /* full paths, for the handler */
  volatile sig_atomic_t file_count;                                     /* read by the signal handler */
  bool handlers_installed;
  struct sigaction previous[SIGNAL_COUNT];
};

/* The only mutable file-scope state of lucsim: a signal handler can reach nothing else. */
static outdir_t* volatile signal_target;

/* ---------------------------------------------------------------- small helpers */

static bool plain_name(const char* name)
{
  return name[0] && strlen(name) < OUTDIR_NAME_MAX && !strchr(name, '/') && strcmp(name, ".") != 0 &&
         strcmp(name, "..") != 0;
}

static int mkdir_parents(const char* path)
{
  char buf[OUTDIR_PATH_MAX + 64];
  snprintf(buf, sizeof buf, "%s", path);
  for (char* p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return 0;
}

static bool is_empty_dir(const char* dir)
{
  DIR* d = opendir(dir);
  if (!d) return false;
  struct dirent* e;
  bool empty = true;
  while (empty && (e = readdir(d)) != NULL)
    empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
  closedir(d);
  return empty;
}

static bool has_marker(const char* dir)
{
  char path[3 * OUTDIR_PATH_MAX];
  struct stat sb;
  snprintf(path, sizeof path, "%s/%s", dir, OUTDIR_MARKER);
  return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Removes the files that dir's marker lists, the marker, then dir if it is empty. Returns 0 when
 * dir is gone, -1 when it holds files lucsim did not write (they stay). */
static int remove_marked_dir(const char* dir)
{
  char path[3 * OUTDIR_PATH_MAX], line[256];
  snprintf(path, sizeof path, "%s/%s", dir, OUTDIR_MARKER);
  FILE* f = fopen(path, "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (strncmp(line, "file ", 5) != 0 || !plain_name(line + 5) || strcmp(line + 5, OUTDIR_MARKER) == 0) continue;
    char file[3 * OUTDIR_PATH_MAX];
    snprintf(file, sizeof file, "%s/%s", dir, line + 5);
    struct stat sb;
    if (lstat(file, &sb) == 0 && S_ISREG(sb.st_mode)) unlink(file);
  }
  fclose(f);
  unlink(path);
  return rmdir(dir) == 0 ? 0 : -1;
}

static int write_marker(const outdir_t* od)
{
  FILE* f = fopen(od->marker_path, "w");
  if (!f) return -1;
  /* No pid or time here: the folder's content stays byte-identical across reruns. */
  fputs("lucsim results folder, written by lucsim " LUCSIM_VERSION ".\n"
        "lucsim removes or replaces only the files listed below (with --force); it keeps any other.\n",
        f);
  for (sig_atomic_t i = 0; i < od->file_count; i++)
    fprintf(f, "file %s\n", od->names[i]);
  return fclose(f) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- signals */

static void write_text(const char* s)
{
  ssize_t rc = write(STDERR_FILENO, s, strlen(s));
  (void)rc;
}

/* Async-signal-safe only: unlink, rmdir, write, _exit. */
static void on_signal(int sig)
{
  outdir_t* od = signal_target;
  if (od) {
    for (sig_atomic_t i = 0; i < od->file_count; i++)
      unlink(od->paths[i]);
    unlink(od->marker_path);
    rmdir(od->tmp_dir);
    unlink(od->lock_path);
  }
  write_text(sig == SIGINT    ? "lucsim: stopped by SIGINT"
             : sig == SIGTERM ? "lucsim: stopped by SIGTERM"
                              : "lucsim: stopped by SIGHUP");
  if (od) {
    write_text("; removed the unfinished results folder '");
    write_text(od->tmp_dir);
    write_text("'");
  }
  write_text("\n");
  _exit(128 + sig);
}

static void install_handlers(outdir_t* od)
{
  if (signal_target) return; /* one results folder per process at a time gets the clean-up */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < SIGNAL_COUNT; i++)
    sigaddset(&sa.sa_mask, handled_signals[i]);
  signal_target = od;
  for (size_t i = 0; i < SIGNAL_COUNT; i++)
    sigaction(handled_signals[i], &sa, &od->previous[i]);
  od->handlers_installed = true;
}

static void restore_handlers(outdir_t* od)
{
  if (!od->handlers_installed) return;
  for (size_t i = 0; i < SIGNAL_COUNT; i++)
    sigaction(handled_signals[i], &od->previous[i], NULL);
  signal_target          = NULL;
  od->handlers_installed = false;
}

static void block_signals(bool block)
{
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < SIGNAL_COUNT; i++)
    sigaddset(&set, handled_signals[i]);
  sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* ---------------------------------------------------------------- lock and leftovers */

/* flock on final_dir.lock: released by the kernel when the process dies, so a killed run never
 * blocks the next one. The holder unlinks the file before closing it; a waiter that locked an
 * unlinked inode sees that and tries again. */
static int take_lock(outdir_t* od, lucsim_err_t* err)
{
  for (int attempt = 0; attempt < 8; attempt++) {
    int fd = open(od->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return lucsim_err_set(err, NULL, 0, "output.dir", "cannot create the lock '%s': %s", od->lock_path,
                            strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int e              = errno;
      char pid[32]       = "";
      ssize_t n          = pread(fd, pid, sizeof pid - 1, 0);
      pid[n > 0 ? n : 0] = '\0';
      close(fd);
      if (e == EWOULDBLOCK)
        return lucsim_err_set(err, NULL, 0, "output.dir",
                              "another lucsim run (pid %ld) is writing '%s'; wait for it to end or choose another "
                              "folder",
                              strtol(pid, NULL, 10), od->final_dir);
      return lucsim_err_set(err, NULL, 0, "output.dir", "cannot lock '%s': %s", od->lock_path, strerror(e));
    }
    struct stat held, now;
    if (fstat(fd, &held) == 0 && stat(od->lock_path, &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev) {
      char pid[32];
      int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
      if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        /* the pid is only for the message of a refused run: not worth failing for */
      }
      od->lock_fd = fd;
      return 0;
    }
    close(fd);
  }
  return lucsim_err_set(err, NULL, 0, "output.dir", "cannot lock '%s': it keeps changing", od->lock_path);
}

static void release_lock(outdir_t* od)
{
  if (od->lock_fd < 0) return;
  unlink(od->lock_path);
  close(od->lock_fd);
  od->lock_fd = -1;
}

/* Temporary folders FINAL.tmp-PID of processes that no longer exist, and that carry lucsim's
 * marker, are what a killed run left: remove their marked files. */
static void remove_dead_leftovers(const outdir_t* od)
{
  char parent[OUTDIR_PATH_MAX];
  snprintf(parent, sizeof parent, "%s", od->final_dir);
  char* slash      = strrchr(parent, '/');
  const char* base = od->final_dir;
  if (slash) {
    base = od->final_dir + (slash - parent) + 1;
    if (slash == parent)
      slash[1] = '\0';
    else
      *slash = '\0';
  } else {
    snprintf(parent, sizeof parent, ".");
  }
  char prefix[OUTDIR_PATH_MAX];
  int len = snprintf(prefix, sizeof prefix, "%s.tmp-", base);
  DIR* d  = opendir(parent);
  if (!d) return;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    const char* digits = e->d_name + len;
    if (strncmp(e->d_name, prefix, (size_t)len) != 0 || !*digits || strspn(digits, "0123456789") != strlen(digits))
      continue;
    long pid = strtol(digits, NULL, 10);
    if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
    char path[2 * OUTDIR_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
    if (has_marker(path)) remove_marked_dir(path);
  }
  closedir(d);
}

/* ---------------------------------------------------------------- the API */

/* Existing final_dir: allowed when absent or empty, or (force) a lucsim results folder. */
static int check_existing(const outdir_t* od, lucsim_err_t* err)
{
  struct stat sb;
  if (lstat(od->final_dir, &sb) != 0) return 0;
  if (!S_ISDIR(sb.st_mode))
    return lucsim_err_set(err, NULL, 0, "output.dir", "'%s' exists and is not a folder; expected a new folder name",
                          od->final_dir);
  if (is_empty_dir(od->final_dir)) return 0;
  if (!has_marker(od->final_dir))
    return lucsim_err_set(err, NULL, 0, "output.dir",
                          "'%s' exists, is not empty and is not a lucsim results folder (no %s); lucsim never "
                          "writes into it: choose a new folder",
                          od->final_dir, OUTDIR_MARKER);
  if (!od->force)
    return lucsim_err_set(err, NULL, 0, "output.dir",
                          "'%s' already holds lucsim results; choose a new folder, or add --force to replace them",
                          od->final_dir);
  return 0;
}

outdir_t* outdir_open(const char* final_dir, bool force, lucsim_err_t* err)
{
  size_t len = strlen(final_dir);
  if (len == 0 || len >= OUTDIR_PATH_MAX - 64) {
    lucsim_err_set(err, NULL, 0, "output.dir", "'%s' is not a usable folder name", final_dir);
    return NULL;
  }
  outdir_t* od = calloc(1, sizeof *od);
  if (!od) {
    lucsim_err_set(err, NULL, 0, "output.dir", "out of memory");
    return NULL;
  }
  od->lock_fd = -1;
  od->force   = force;
  snprintf(od->final_dir, sizeof od->final_dir, "%s", final_dir);
  while (len > 1 && od->final_dir[len - 1] == '/')
    od->final_dir[--len] = '\0';
  const char* base = strrchr(od->final_dir, '/');
  base             = base ? base + 1 : od->final_dir;
  if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
    lucsim_err_set(err, NULL, 0, "output.dir",
                   "'%s' names an existing folder, not a new one; a run writes its own folder: give its name, e.g. "
                   "-o results/run1",
                   final_dir);
    free(od);
    return NULL;
  }
  snprintf(od->tmp_dir, sizeof od->tmp_dir, "%s.tmp-%ld", od->final_dir, (long)getpid());
  snprintf(od->lock_path, sizeof od->lock_path, "%s.lock", od->final_dir);
  snprintf(od->marker_path, sizeof od->marker_path, "%s/%s", od->tmp_dir, OUTDIR_MARKER);

  if (check_existing(od, err) != 0) {
    free(od);
    return NULL;
  }
  if (mkdir_parents(od->final_dir) != 0) {
    lucsim_err_set(err, NULL, 0, "output.dir", "cannot create the folders of '%s': %s", od->final_dir, strerror(errno));
    free(od);
    return NULL;
  }
  /* Under the lock, check again: a run may have committed the folder meanwhile. */
  if (take_lock(od, err) != 0 || check_existing(od, err) != 0) {
    outdir_close(od);
    return NULL;
  }
  remove_dead_leftovers(od);
  if (mkdir(od->tmp_dir, 0777) != 0) {
    lucsim_err_set(err, NULL, 0, "output.dir", "cannot create '%s': %s", od->tmp_dir, strerror(errno));
    outdir_close(od);
    return NULL;
  }
  install_handlers(od);
  if (write_marker(od) != 0) {
    lucsim_err_set(err, NULL, 0, "output.dir", "cannot write '%s': %s", od->marker_path, strerror(errno));
    outdir_abort(od);
    outdir_close(od);
    return NULL;
  }
  return od;
}

const char* outdir_tmp(const outdir_t* od)
{
  return od->tmp_dir;
}

int outdir_add_file(outdir_t* od, const char* name, lucsim_err_t* err)
{
  if (!plain_name(name) || strcmp(name, OUTDIR_MARKER) == 0)
    return lucsim_err_set(err, NULL, 0, "output.dir", "'%s' is not a plain file name", name);
  for (sig_atomic_t i = 0; i < od->file_count; i++)
    if (strcmp(od->names[i], name) == 0) return 0;
  if (od->file_count == OUTDIR_MAX_FILES)
    return lucsim_err_set(err, NULL, 0, "output.dir", "too many output files (at most %d)", OUTDIR_MAX_FILES);
  sig_atomic_t i = od->file_count;
  snprintf(od->names[i], sizeof od->names[i], "%s", name);
  snprintf(od->paths[i], sizeof od->paths[i], "%s/%s", od->tmp_dir, name);
  od->file_count = i + 1; /* after the path is complete: the handler may read it at any time */
  if (write_marker(od) != 0)
    return lucsim_err_set(err, NULL, 0, "output.dir", "cannot write '%s': %s", od->marker_path, strerror(errno));
  return 0;
}

/* Swaps the finished folder in for an earlier lucsim results folder, then removes the earlier
 * one's marked files. */
static int swap_in(outdir_t* od)
{
  char old[OUTDIR_PATH_MAX + 32];
  snprintf(old, sizeof old, "%s.old-%ld", od->final_dir, (long)getpid());
  const char* earlier = od->tmp_dir;
  if (renameat2(AT_FDCWD, od->tmp_dir, AT_FDCWD, od->final_dir, RENAME_EXCHANGE) != 0) {
    if (errno != EINVAL && errno != ENOSYS) return -1;
    /* file systems without atomic exchange: two renames */
    if (rename(od->final_dir, old) != 0) return -1;
    if (rename(od->tmp_dir, od->final_dir) != 0) {
      int e = errno;
      rename(old, od->final_dir);
      errno = e;
      return -1;
    }
    earlier = old;
  }
  if (remove_marked_dir(earlier) != 0) {
    if (earlier != old) rename(earlier, old);
    fprintf(stderr, "lucsim: the replaced results folder held files lucsim did not write; they are kept in '%s'\n",
            old);
  }
  return 0;
}

int outdir_commit(outdir_t* od, lucsim_err_t* err)
{
  if (write_marker(od) != 0) {
    lucsim_err_set(err, NULL, 0, "output.dir", "cannot write '%s': %s", od->marker_path, strerror(errno));
    outdir_abort(od);
    return -1;
  }
  block_signals(true);
  struct stat sb;
  int rc = 0, e = 0;
  if (lstat(od->final_dir, &sb) != 0 || (S_ISDIR(sb.st_mode) && is_empty_dir(od->final_dir))) {
    rc = rename(od->tmp_dir, od->final_dir);
    e  = errno;
  } else if (check_existing(od, err) != 0) {
    rc = -2; /* changed during the run: err says how */
  } else {
    rc = swap_in(od);
    e  = errno;
  }
  if (rc == 0) restore_handlers(od); /* the results are complete: a signal no longer removes them */
  block_signals(false);
  if (rc == 0) return 0;
  if (rc == -1)
    lucsim_err_set(err, NULL, 0, "output.dir", "cannot rename the results to '%s': %s", od->final_dir, strerror(e));
  outdir_abort(od);
  return -1;
}

void outdir_abort(outdir_t* od)
{
  for (sig_atomic_t i = 0; i < od->file_count; i++)
    unlink(od->paths[i]);
  unlink(od->marker_path);
  rmdir(od->tmp_dir);
}

void outdir_close(outdir_t* od)
{
  if (!od) return;
  restore_handlers(od);
  release_lock(od);
  free(od);
}
