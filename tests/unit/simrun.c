/* Fork-per-scenario helper for SimGrid tests (see simrun.h). */
#include "simrun.h"

#include <simgrid/engine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int simrun_in_child(simrun_fn fn, void* arg, void* out, size_t out_size)
{
  int fds[2];
  if (pipe(fds) != 0) return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    close(fds[0]);
    void* blob = calloc(1, out_size ? out_size : 1);
    int rc     = fn(arg, blob, out_size);
    size_t off = 0;
    while (off < out_size) {
      ssize_t n = write(fds[1], (char*)blob + off, out_size - off);
      if (n <= 0) _exit(99);
      off += (size_t)n;
    }
    free(blob);
    close(fds[1]);
    fflush(NULL);
    _exit(rc);
  }
  close(fds[1]);
  size_t off = 0;
  while (off < out_size) {
    ssize_t n = read(fds[0], (char*)out + off, out_size - off);
    if (n <= 0) break;
    off += (size_t)n;
  }
  close(fds[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) return -1;
  if (off != out_size && WEXITSTATUS(status) == 0) return -1;
  return WEXITSTATUS(status);
}

void simrun_init_simgrid(void)
{
  static char factory[64];
  const char* env = getenv("LUCSIM_TEST_CONTEXTS");
#ifdef LUCSIM_SANITIZED_BUILD
  const char* fallback = "thread"; /* stack-switching contexts confuse the sanitizers */
#else
  const char* fallback = "raw"; /* SimGrid's fastest; threads cost a system call per context switch */
#endif
  snprintf(factory, sizeof factory, "--cfg=contexts/factory:%s", env && env[0] ? env : fallback);
#ifdef LUCSIM_SANITIZED_BUILD
  static char stack[] = "--cfg=contexts/stack-size:1024"; /* sanitizers need larger stacks */
#else
  static char stack[]  = "--cfg=contexts/stack-size:16"; /* as lucsim (sim/main.c) */
#endif
  static char* argv[] = {"lucsim-test", factory, stack, "--log=root.thres:critical", "--log=xbt_cfg.thres:critical",
                         NULL};
  static int argc     = 5;
  simgrid_init(&argc, argv);
}

int simrun_experiment(config_t* cfg, const char* file, simrun_craft_fn craft, const void* craft_arg,
                      const char* const* sets, size_t max_sets, char* tmp_dir, lucsim_err_t* err)
{
  if (!mkdtemp(tmp_dir)) return 10;
  config_init_defaults(cfg);
  if (file) {
    char path[1024];
    const char* src = getenv("LUCSIM_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/%s", src ? src : "..", file);
    if (config_load_file(cfg, path, err) != 0) return 11;
  } else if (craft) {
    craft(cfg, craft_arg);
  }
  cfg->output.trace = OUT_TRACE_NONE;
  snprintf(cfg->output.dir, sizeof cfg->output.dir, "%s/r", tmp_dir);
  for (size_t i = 0; i < max_sets && sets[i]; i++)
    if (config_apply_set(cfg, sets[i], err) != 0) return 12;
  return config_finish(cfg, err) == 0 ? 0 : 13;
}

void simrun_craft_small_cluster(config_t* cfg, const void* pms)
{
  int n                       = *(const int*)pms;
  cfg->platform.pm_count      = n;
  cfg->vms.count              = 5 * n;
  cfg->vms.placement          = VM_PLACEMENT_FILL;
  cfg->vms.class_count        = 1;
  cfg->vms.classes[0].vcpus   = 2;
  cfg->duration_s             = 300;
  cfg->injector.load_period_s = 1e12;
  cfg->injector.initial_load  = 40;
}

int simrun_remove(const char* tmp_dir)
{
  char cmd[1100];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
  return system(cmd) == 0 ? 0 : 14;
}
